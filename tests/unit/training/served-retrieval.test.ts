import { describe, expect, it } from 'vitest';
import { foldHistory, recentFirst } from '../../../local/training/histories';
import { rankerExamples } from '../../../local/training/ranker-examples';
import { syntheticDataset } from '../../../local/training/synthetic';
import { trainAttune } from '../../../local/training/train-model';
import { ExactVectorIndex } from '../../../origin-lambdas/adapters/vector/exact-index';
import { collaborative } from '../../../origin-lambdas/recommend/retrieval/sources';
import { collaborativeScores } from '../../../shared/ranking/collaborative-score';
import { RANKER_FEATURES } from '../../../shared/schemas/ranking';

const data = syntheticDataset({ users: 60, perUser: 14 });
const model = trainAttune(data.interactions, { als: { factors: 6, iterations: 4 }, candidates: 30 });
const k = model.dimensions;
const col = (name: (typeof RANKER_FEATURES)[number]) => RANKER_FEATURES.indexOf(name);

function requestOf(user: string) {
  const h = model.histories.get(user) ?? [];
  const state = foldHistory(h, model.vectors, k);
  return {
    userVector: state?.sum ?? new Array(k).fill(0),
    recentItems: recentFirst(h),
    exclude: new Set(h.map((e) => e.item)),
    now: h[h.length - 1]?.at ?? 0,
  };
}

describe('collaborativeScores', () => {
  it('scores each hit relative to the best one, clamped to [0, 1]', () => {
    expect(collaborativeScores([0.2, 0.1, 0.05, -0.01])).toEqual([1, 0.5, 0.25, 0]);
    expect(collaborativeScores([-0.1, -0.2])).toEqual([0, 0]);
    expect(collaborativeScores([])).toEqual([]);
  });
});

describe('served retrieval in training', () => {
  it('trains the ranker on the declared RANKER_FEATURES', () => {
    expect(model.ranker.featureNames).toEqual([...RANKER_FEATURES]);
    expect(model.ranker.weights).toHaveLength(RANKER_FEATURES.length);
  });

  it('gives collaborative candidates the retrieval_score the origin computes for the same index', async () => {
    const user = [...model.histories.keys()][3] as string;
    const req = requestOf(user);
    const served = model.pipeline.candidates(req);
    const rows = model.pipeline.features(served, req, RANKER_FEATURES);
    const w = RANKER_FEATURES.length;

    // The origin's own source over an exact inner-product index of the same catalog, queried with
    // the unit taste direction as the user-state handler stores it.
    const index = new ExactVectorIndex(k, 'ip');
    await index.upsert(
      model.items.map((i) => ({ id: i.item_id, vector: i.embedding, category: i.category })),
    );
    const norm = Math.hypot(...req.userVector);
    const unit = Array.from(req.userVector, (x) => x / norm);
    const excludeIds = new Set([...req.exclude].map((i) => model.items[i]?.item_id as string));
    const origin = await collaborative(index, unit, 30, { excludeIds });
    const originScore = new Map(origin.map((r) => [r.item_id, r.score]));

    let checked = 0;
    served.candidates.forEach((c, r) => {
      if (rows[r * w + col('src_collaborative')] !== 1) return;
      const id = model.items[c]?.item_id as string;
      expect(rows[r * w + col('retrieval_score')]).toBeCloseTo(originScore.get(id) as number, 12);
      checked++;
    });
    expect(checked).toBeGreaterThan(5);
    // The score is the shared function of the inner products, best hit first.
    const dots = model.pipeline.retrieval.nearest(req.userVector, 30, req.exclude).map((h) => h.s);
    expect(origin.map((r) => r.score)).toEqual(collaborativeScores(dots).map((s) => expect.closeTo(s, 12)));
  });

  it('labels each candidate with exactly one source indicator, as the origin union does', () => {
    const req = requestOf([...model.histories.keys()][5] as string);
    const served = model.pipeline.candidates(req);
    const rows = model.pipeline.features(served, req, RANKER_FEATURES);
    const w = RANKER_FEATURES.length;
    served.candidates.forEach((c, r) => {
      const got = served.retrieved.get(model.items[c]?.item_id as string);
      expect(rows[r * w + col('retrieval_score')]).toBeCloseTo(got?.score as number, 12);
      expect(rows[r * w + col('src_collaborative')]).toBe(got?.source === 'collaborative' ? 1 : 0);
      expect(rows[r * w + col('src_content')]).toBe(got?.source === 'content' ? 1 : 0);
      expect(req.exclude.has(c)).toBe(false);
    });
    expect(new Set([...served.retrieved.values()].map((r) => r.source))).toContain('collaborative');
  });

  it('builds training rows from those same feature rows', () => {
    const ex = rankerExamples(model.pipeline, model.vectors, k, model.histories.values());
    expect(ex.width).toBe(RANKER_FEATURES.length);
    expect(ex.features.length).toBe(ex.labels.length * ex.width);
    for (let r = 0; r < ex.labels.length; r++) {
      const s = ex.features[r * ex.width + col('retrieval_score')] as number;
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });
});
