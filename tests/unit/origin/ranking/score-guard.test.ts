import { describe, expect, it } from 'vitest';
import { ScoreCountError, scoreGuard } from '../../../../origin-lambdas/recommend/ranking/score-guard';

describe('scoreGuard', () => {
  it('keeps scores in [0, 1] untouched', () => {
    expect(scoreGuard([0, 0.25, 1], 3)).toEqual({ scores: [0, 0.25, 1], replaced: 0 });
  });

  it('zeroes non-finite scores and clamps out-of-range ones, counting each', () => {
    expect(
      scoreGuard([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5, 1.5, 0.7], 6),
    ).toEqual({
      scores: [0, 0, 0, 0, 1, 0.7],
      replaced: 5,
    });
  });

  it('throws when the count differs from the rows', () => {
    expect(() => scoreGuard([0.1, 0.2], 3)).toThrow(new ScoreCountError('expected 3 scores, got 2'));
    expect(() => scoreGuard([], 1)).toThrow(ScoreCountError);
  });

  it('does not modify its input', () => {
    const input = [2, Number.NaN];
    scoreGuard(input, 2);
    expect(input).toEqual([2, Number.NaN]);
  });
});
