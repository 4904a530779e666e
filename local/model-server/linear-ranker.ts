import { DEFAULT_FEATURES } from '../../shared/schemas/ranking';

/** A logistic ranker: score = sigmoid(features · weights + bias), one weight per feature. */
export interface LinearRankerSpec {
  readonly weights: readonly number[];
  readonly bias: number;
  readonly featureNames: readonly string[];
}

/**
 * The default ranker shipped with the local stack, in `DEFAULT_FEATURES` order.
 * Affinity (the user's own history) weighs most, similarity to the session next, popularity is a
 * prior and freshness a tie-breaker. The bias of -2 keeps an all-zero candidate near 0.12, so
 * a score only climbs when some signal is present.
 */
export const DEFAULT_LINEAR_RANKER: LinearRankerSpec = {
  featureNames: [...DEFAULT_FEATURES],
  weights: [1.2, 0.4, 2.0, 1.6],
  bias: -2.0,
};

/**
 * Pure TypeScript reference for the ONNX graph: one sigmoid score per row of the row-major
 * `features` matrix (`rows` x `weights.length`). Tests compare the ONNX output against it.
 */
export function scoreLinear(
  weights: readonly number[],
  bias: number,
  features: ArrayLike<number>,
  rows: number,
): number[] {
  const f = weights.length;
  if (features.length !== rows * f) {
    throw new RangeError(`expected ${rows * f} feature values, got ${features.length}`);
  }
  const scores = new Array<number>(rows);
  for (let r = 0; r < rows; r++) {
    let z = bias;
    for (let c = 0; c < f; c++) z += (features[r * f + c] as number) * (weights[c] as number);
    scores[r] = 1 / (1 + Math.exp(-z));
  }
  return scores;
}
