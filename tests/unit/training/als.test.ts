import { describe, expect, it } from 'vitest';
import { trainAls } from '../../../local/training/als';
import { buildCsr } from '../../../local/training/interactions';
import { cosineNeighbours, knnScores } from '../../../local/training/item-knn';
import { choleskySolve } from '../../../local/training/linalg';
import { seededRandom } from '../../../shared/random';

/** Planted structure: 4 groups of 10 items; each user likes items of one group only. */
function planted(seed = 3) {
  const rand = seededRandom(seed);
  const groups = 4;
  const perGroup = 10;
  const users = 80;
  const triples: { r: number; c: number; v: number }[] = [];
  const heldOut: { user: number; item: number }[] = [];
  for (let u = 0; u < users; u++) {
    const g = u % groups;
    const items = Array.from({ length: perGroup }, (_, i) => g * perGroup + i).sort(() => rand() - 0.5);
    // Each user sees 6 of their group's 10 items; one of the unseen is the held-out truth.
    for (const c of items.slice(0, 6)) triples.push({ r: u, c, v: 1 });
    heldOut.push({ user: u, item: items[6] as number });
  }
  return { m: buildCsr(users, groups * perGroup, triples), groups, perGroup, heldOut };
}

describe('implicit ALS', () => {
  it('recovers planted groups: unseen items of the user group outscore every other group', () => {
    const { m, perGroup, heldOut } = planted();
    const model = trainAls(m, { factors: 4, regularization: 1, alpha: 10, iterations: 10 });
    const k = model.factors;
    let correct = 0;
    for (const { user, item } of heldOut) {
      const score = (j: number) => {
        let s = 0;
        for (let d = 0; d < k; d++)
          s += (model.users[user * k + d] as number) * (model.items[j * k + d] as number);
        return s;
      };
      const group = Math.floor(item / perGroup);
      const bestOther = Math.max(
        ...Array.from({ length: m.cols }, (_, j) => j)
          .filter((j) => Math.floor(j / perGroup) !== group)
          .map(score),
      );
      if (score(item) > bestOther) correct++;
    }
    expect(correct).toBe(heldOut.length);
  });

  it('is deterministic for a seed', () => {
    const { m } = planted();
    const a = trainAls(m, { factors: 4, iterations: 2, seed: 5 });
    const b = trainAls(m, { factors: 4, iterations: 2, seed: 5 });
    expect(Array.from(a.items)).toEqual(Array.from(b.items));
  });
});

describe('cosine item-kNN', () => {
  it('scores co-consumed items by summed cosine similarity', () => {
    // Users: {0,1}, {0,1}, {1,2}. cos(0,1) = 2/sqrt(2*3); cos(1,2) = 1/sqrt(3); cos(0,2) = 0.
    const m = buildCsr(3, 3, [
      { r: 0, c: 0, v: 1 },
      { r: 0, c: 1, v: 1 },
      { r: 1, c: 0, v: 1 },
      { r: 1, c: 1, v: 1 },
      { r: 2, c: 1, v: 1 },
      { r: 2, c: 2, v: 1 },
    ]);
    const out = new Float64Array(3);
    knnScores(cosineNeighbours(m), [1], out);
    expect(out[0]).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(out[2]).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(out[1]).toBe(0);
  });
});

describe('Cholesky solve', () => {
  it('solves a 3x3 SPD system exactly', () => {
    const a = Float64Array.from([4, 2, 0, 2, 3, 1, 0, 1, 2]);
    const b = Float64Array.from([2, 5, 3]);
    choleskySolve(a, b, 3);
    // A x = b with x = [-1/3, 5/3, 2/3] (checked by substitution).
    expect(Array.from(b).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([
      -0.333333333, 1.666666667, 0.666666667,
    ]);
  });
});
