import { describe, expect, it } from 'vitest';
import { trainAls } from '../../../local/training/als';
import { indexInteractions } from '../../../local/training/dataset';
import { foldInSpace } from '../../../local/training/fold-in-space';
import { foldHistory, recentFirst, userHistories } from '../../../local/training/histories';
import { trainLogistic } from '../../../local/training/logistic';
import { syntheticDataset } from '../../../local/training/synthetic';
import { trainAttune } from '../../../local/training/train-model';
import { addInteraction } from '../../../shared/embedding/fold-in';

const data = syntheticDataset({ users: 60, perUser: 12 });

describe('fold-in space', () => {
  it('makes the dot product of a folded-in history equal y_u-hat · y_j of linearised ALS', () => {
    const set = indexInteractions(data.interactions);
    const als = trainAls(set.matrix, { factors: 6, regularization: 2, iterations: 5 });
    const z = foldInSpace(als, 2, set.items.size);
    const k = 6;
    // Reference: x = (YᵀY + λI)⁻¹ Σ y_i computed with plain Gaussian elimination.
    const g = Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => {
        let s = i === j ? 2 : 0;
        for (let r = 0; r < set.items.size; r++)
          s += (als.items[r * k + i] as number) * (als.items[r * k + j] as number);
        return s;
      }),
    );
    const hist = [0, 3, 5];
    const b = Array.from({ length: k }, (_, i) =>
      hist.reduce((s, h) => s + (als.items[h * k + i] as number), 0),
    );
    const x = gaussSolve(g, b);
    let state: ReturnType<typeof addInteraction> | undefined;
    for (const h of hist) state = addInteraction(state, z.subarray(h * k, h * k + k), 1, 0);
    for (const j of [1, 7, 20]) {
      const viaAls = x.reduce((s, xi, i) => s + xi * (als.items[j * k + i] as number), 0);
      const viaFold = (state?.sum ?? []).reduce((s, v, i) => s + v * (z[j * k + i] as number), 0);
      expect(viaFold).toBeCloseTo(viaAls, 9);
    }
  });
});

function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    const p = (m[c] as number[])[c] as number;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = ((m[r] as number[])[c] as number) / p;
      const row = m[r] as number[];
      for (let k = c; k <= n; k++) row[k] = (row[k] as number) - f * ((m[c] as number[])[k] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number));
}

describe('histories', () => {
  it('keeps recent items most recent first without repeats', () => {
    const h = [
      { item: 1, at: 1, value: 4 },
      { item: 2, at: 2, value: 4 },
      { item: 1, at: 3, value: 5 },
    ];
    expect(recentFirst(h)).toEqual([1, 2]);
  });
});

describe('logistic regression', () => {
  it('learns a separating weight and a negative bias for rare positives', () => {
    const features: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 200; i++) {
      const x = i / 200;
      features.push(x);
      labels.push(x > 0.8 ? 1 : 0);
    }
    const fit = trainLogistic({ features, labels, width: 1 }, { epochs: 2000, learningRate: 2 });
    expect(fit.weights[0]).toBeGreaterThan(5);
    expect(fit.bias).toBeLessThan(-3);
    expect(fit.logLoss).toBeLessThan(0.3);
  });
});

describe('Attune pipeline on planted data', () => {
  it('recommends unseen items of the user own group first', () => {
    const model = trainAttune(data.interactions, { als: { factors: 8, iterations: 8 }, meta: data.items });
    let inGroup = 0;
    let total = 0;
    for (const [user, h] of model.histories) {
      const u = Number(user.slice(1));
      const state = foldHistory(h, model.vectors, model.dimensions);
      const top = model.pipeline.recommend(
        {
          userVector: state?.sum ?? [],
          recentItems: recentFirst(h),
          exclude: new Set(h.map((e) => e.item)),
          now: h.at(-1)?.at ?? 0,
        },
        3,
      );
      for (const i of top) {
        total++;
        if (Math.floor(Number((model.set.items.ids[i] as string).slice(1)) / 12) === u % 4) inGroup++;
      }
    }
    expect(inGroup / total).toBeGreaterThan(0.9);
    expect(userHistories(data.interactions, model.set.items).size).toBe(60);
  });
});
