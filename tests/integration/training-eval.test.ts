import { describe, expect, it } from 'vitest';
import { renderReport, summaryLine } from '../../bench/eval/report';
import { runEvaluation } from '../../bench/eval/run-eval';
import { syntheticDataset } from '../../local/training/synthetic';

describe('offline evaluation end to end on synthetic planted data', () => {
  it('runs every method, beats popularity, and reports frozen vs streaming', async () => {
    const { interactions, items } = syntheticDataset({
      users: 120,
      perUser: 20,
      itemsPerGroup: 15,
      noise: 0.05,
      seed: 4,
    });
    const report = await runEvaluation({ interactions, items }, { als: { factors: 8, iterations: 6 } });
    const s = summaryLine(report);
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining([
        'ndcg10',
        'recall10',
        'hr10',
        'popularity_ndcg10',
        'itemknn_ndcg10',
        'lift_ndcg10',
        'seq_frozen_hr10',
        'seq_streaming_hr10',
      ]),
    );
    expect(s.users).toBe(report.data.evaluatedUsers);
    // Planted groups: personalised ranking must clearly beat the global top list.
    expect(s.ndcg10).toBeGreaterThan(1.3 * (s.popularity_ndcg10 as number));
    expect(s.lift_ndcg10).toBeCloseTo((s.ndcg10 as number) / (s.popularity_ndcg10 as number), 2);
    // Each evaluated user replays several held-out interactions, one sequential step each.
    expect(report.sequential.users).toBe(report.data.evaluatedUsers);
    expect(report.sequential.steps).toBeGreaterThan(report.sequential.users);
    for (const v of [s.seq_frozen_hr10, s.seq_streaming_hr10]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    const html = renderReport(report, 'npm run eval -- --dataset movielens --path synthetic');
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).toContain('Frozen at end of training');
  });
});
