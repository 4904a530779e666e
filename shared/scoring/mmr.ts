import { cosine } from '../vector-math';
import type { Rescored } from './rescore';

const similarity = (a: Rescored, b: Rescored): number => {
  const va = a.candidate.vector;
  const vb = b.candidate.vector;
  return va && vb ? cosine(va, vb) : 0;
};

/**
 * Maximal marginal relevance (Carbonell and Goldstein 1998): greedily picks the item maximising
 * `lambda · score − (1 − lambda) · max cosine to the items already picked`. Items without a
 * vector count as dissimilar to everything. Ties keep input order. O(limit · n) cosines: the
 * max similarity of each remaining item is updated once per pick, not recomputed.
 *
 * @param lambda relevance weight in [0, 1]; 1 returns the input order.
 */
export function mmr(ranked: readonly Rescored[], limit: number, lambda: number): Rescored[] {
  const remaining = ranked.slice();
  const maxSim = new Array<number>(remaining.length).fill(Number.NEGATIVE_INFINITY);
  const picked: Rescored[] = [];
  while (picked.length < limit && remaining.length > 0) {
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < remaining.length; i++) {
      const r = remaining[i] as Rescored;
      const value = lambda * r.score - (1 - lambda) * (picked.length > 0 ? (maxSim[i] as number) : 0);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    const chosen = remaining[best] as Rescored;
    picked.push(chosen);
    remaining.splice(best, 1);
    maxSim.splice(best, 1);
    for (let i = 0; i < remaining.length; i++) {
      const s = similarity(chosen, remaining[i] as Rescored);
      if (s > (maxSim[i] as number)) maxSim[i] = s;
    }
  }
  return picked;
}
