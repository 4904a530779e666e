/** Raised when a scorer answers with a different number of scores than candidates. */
export class ScoreCountError extends Error {
  override readonly name = 'ScoreCountError';
}

/** Guarded scores and how many of them had to be replaced. */
export interface GuardedScores {
  readonly scores: number[];
  readonly replaced: number;
}

/**
 * Makes scores safe to sort and show: NaN and ±Infinity become 0 (no evidence, bottom of the
 * list), finite scores outside [0, 1] are clamped. Throws ScoreCountError when there are not
 * exactly `rows` scores, because a misaligned list would pin scores to the wrong candidates.
 */
export function scoreGuard(scores: readonly number[], rows: number): GuardedScores {
  if (scores.length !== rows) throw new ScoreCountError(`expected ${rows} scores, got ${scores.length}`);
  let replaced = 0;
  const out = scores.map((s) => {
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      replaced++;
      return 0;
    }
    if (s < 0 || s > 1) {
      replaced++;
      return s < 0 ? 0 : 1;
    }
    return s;
  });
  return { scores: out, replaced };
}
