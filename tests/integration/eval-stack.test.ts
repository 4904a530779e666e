import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryLine } from '../../bench/eval/report';
import type { EvalReport } from '../../bench/eval/run-eval';
import { runStackEvaluation } from '../../bench/eval/stack/run-stack';
import { readMovieLens } from '../../local/training/movielens';
import { writeMovieLensFixture } from '../helpers/movielens-fixture';

type Served = { requests: number; fallback_levels: Record<string, number>; widened: number };

describe('npm run eval --via stack: Attune as served through the origin and the stream', () => {
  let dir: string;
  let report: EvalReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attune-eval-stack-test-'));
    // 4 planted taste groups of 15 items, one genre each; 24 users of 20 ratings.
    await writeMovieLensFixture(dir, { users: 24, perUser: 20, itemsPerGroup: 15, noise: 0.05, seed: 4 });
    report = await runStackEvaluation(await readMovieLens(dir), {
      factors: 8,
      maxSteps: 2,
      pollMs: 100,
    });
  }, 90_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('asks the origin app for every top 10 and gets full-funnel answers', () => {
    const stack = report.stack as { served: Record<string, Served>; sequential: Record<string, unknown> };
    const users = report.data.evaluatedUsers;
    expect(users).toBeGreaterThan(10);
    for (const surface of ['diversity_off', 'diversity_on']) {
      const served = stack.served[surface] as Served;
      expect(served.requests).toBe(users);
      expect(served.fallback_levels).toEqual({ '0': users });
    }
    const frozen = stack.sequential.frozen as Served;
    const streaming = stack.sequential.streaming as Served;
    expect(frozen.fallback_levels).toEqual({ '0': frozen.requests });
    expect(streaming.fallback_levels).toEqual({ '0': streaming.requests });
  });

  it('reports metrics in [0, 1] under the existing keys, plus both diversity settings', () => {
    const s = summaryLine(report);
    expect(s.via).toBe('stack');
    for (const key of [
      'ndcg10',
      'recall10',
      'hr10',
      'popularity_ndcg10',
      'itemknn_ndcg10',
      'seq_frozen_hr10',
      'seq_streaming_hr10',
      'ndcg10_diversity_on',
      'ndcg10_diversity_off',
    ]) {
      expect(s[key]).toBeGreaterThanOrEqual(0);
      expect(s[key]).toBeLessThanOrEqual(1);
    }
    expect(s.ndcg10).toBe(s.ndcg10_diversity_off);
    // Planted groups: the served funnel finds each user's group, popularity cannot.
    expect(s.ndcg10 as number).toBeGreaterThan(2 * (s.popularity_ndcg10 as number));
    // One genre per group: the default rules' cap of 3 per category must cost NDCG here.
    expect(s.ndcg10_diversity_on as number).toBeLessThan(s.ndcg10 as number);
  });

  it('sends every replayed step through ingest and the stream handler, and only for the streaming identity', () => {
    const seq = (report.stack as { sequential: Record<string, unknown> }).sequential;
    const steps = report.sequential.steps;
    expect(steps).toBeGreaterThan(report.data.evaluatedUsers);
    expect(steps).toBeLessThanOrEqual(2 * report.data.evaluatedUsers);
    // Each scored step asked twice (frozen twin, streaming user) and sent one event.
    expect(seq.events).toBe(steps);
    expect((seq.frozen as Served).requests).toBe(steps);
    const mapping = seq.mapping as { recordsSucceeded: number; deadLettered: number };
    expect(mapping.recordsSucceeded).toBe(steps);
    expect(mapping.deadLettered).toBe(0);
    // Read back from DynamoDB Local: every streaming user's state holds its events, no twin moved.
    expect(seq.state_check).toEqual({
      streamingUpdated: report.data.evaluatedUsers,
      frozenUntouched: report.data.evaluatedUsers,
      users: report.data.evaluatedUsers,
    });
  });
});
