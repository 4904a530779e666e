/** Labelled feature rows for the ranker, row-major. */
export interface RankerExamples {
  readonly features: number[];
  readonly labels: number[];
  readonly width: number;
}

export interface LogisticOptions {
  /** @default 300 */
  readonly epochs?: number;
  /** @default 0.5 */
  readonly learningRate?: number;
  /** L2 penalty on the weights (not the bias). @default 1e-4 */
  readonly l2?: number;
  /** Weight of a positive example relative to a negative one. @default 1 */
  readonly positiveWeight?: number;
}

/**
 * Logistic regression by full-batch gradient descent: the feature matrix here is a few
 * thousand rows of four values, so a plain, deterministic solver is enough and has no
 * learning-rate schedule to tune.
 */
export function trainLogistic(
  ex: RankerExamples,
  opts: LogisticOptions = {},
): { weights: number[]; bias: number; logLoss: number } {
  const { width: f, features: x, labels: y } = ex;
  const n = y.length;
  const lr = opts.learningRate ?? 0.5;
  const l2 = opts.l2 ?? 1e-4;
  const pw = opts.positiveWeight ?? 1;
  const w = new Array<number>(f).fill(0);
  let b = 0;
  let totalWeight = 0;
  for (const label of y) totalWeight += label > 0 ? pw : 1;
  for (let e = 0; e < (opts.epochs ?? 300); e++) {
    const gw = new Array<number>(f).fill(0);
    let gb = 0;
    for (let r = 0; r < n; r++) {
      let z = b;
      for (let c = 0; c < f; c++) z += (w[c] as number) * (x[r * f + c] as number);
      const sw = (y[r] as number) > 0 ? pw : 1;
      const err = sw * (1 / (1 + Math.exp(-z)) - (y[r] as number));
      for (let c = 0; c < f; c++) gw[c] = (gw[c] as number) + err * (x[r * f + c] as number);
      gb += err;
    }
    for (let c = 0; c < f; c++)
      w[c] = (w[c] as number) - lr * ((gw[c] as number) / totalWeight + l2 * (w[c] as number));
    b -= (lr * gb) / totalWeight;
  }
  return { weights: w, bias: b, logLoss: logLoss(ex, w, b) };
}

/** Mean negative log-likelihood of the labels under a logistic model. */
export function logLoss(ex: RankerExamples, w: readonly number[], b: number): number {
  let sum = 0;
  for (let r = 0; r < ex.labels.length; r++) {
    let z = b;
    for (let c = 0; c < ex.width; c++) z += (w[c] as number) * (ex.features[r * ex.width + c] as number);
    const p = Math.min(1 - 1e-12, Math.max(1e-12, 1 / (1 + Math.exp(-z))));
    sum += (ex.labels[r] as number) > 0 ? -Math.log(p) : -Math.log(1 - p);
  }
  return ex.labels.length ? sum / ex.labels.length : 0;
}
