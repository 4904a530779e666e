import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../shared/scoring/candidate';
import { mmr } from '../../../shared/scoring/mmr';
import type { Rescored } from '../../../shared/scoring/rescore';

const r = (item_id: string, score: number, vector?: number[]): Rescored => {
  const candidate: Candidate = {
    item_id,
    category: 'c',
    score,
    source: 'popular',
    popularity: 0.5,
    freshness: 0,
    ...(vector ? { vector } : {}),
  };
  return { candidate, score, sessionSimilarity: 0 };
};

const ids = (xs: readonly Rescored[]) => xs.map((x) => x.candidate.item_id);

describe('mmr', () => {
  const list = [r('a', 1.0, [1, 0]), r('a2', 0.95, [1, 0]), r('b', 0.7, [0, 1]), r('n', 0.6)];

  it('keeps relevance order when lambda is 1', () => {
    expect(ids(mmr(list, 4, 1))).toEqual(['a', 'a2', 'b', 'n']);
  });

  it('skips a near-duplicate for a dissimilar item with exact MMR values', () => {
    // After 'a': a2 = 0.5·0.95 − 0.5·1 = −0.025, b = 0.5·0.7 − 0 = 0.35, n = 0.5·0.6 − 0 = 0.3.
    // After 'a','b': a2 = −0.025, n = 0.3 (no vector, similarity 0).
    expect(ids(mmr(list, 4, 0.5))).toEqual(['a', 'b', 'n', 'a2']);
  });

  it('stops at limit and handles an empty list', () => {
    expect(ids(mmr(list, 2, 0.5))).toEqual(['a', 'b']);
    expect(mmr([], 5, 0.5)).toEqual([]);
  });

  it('counts an opposite vector as less similar than a missing one', () => {
    const xs = [r('a', 1, [1, 0]), r('none', 0.5), r('opposite', 0.5, [-1, 0])];
    // opposite: 0.5·0.5 − 0.5·(−1) = 0.75 beats none: 0.25.
    expect(ids(mmr(xs, 3, 0.5))).toEqual(['a', 'opposite', 'none']);
  });
});
