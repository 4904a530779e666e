import { backSubstitute, cholesky, forwardSubstitute } from '../linalg';
import { type Rng, sampleNormal } from './sampling';

export interface LinearThompsonOptions {
  /** Ridge prior precision. @default 1 */
  readonly lambda?: number;
  /** Posterior scale; larger explores more. @default 0.25 */
  readonly scale?: number;
  /** Evidence discount per update of an arm, for drifting rewards. @default 1 */
  readonly discount?: number;
}

/**
 * Linear Thompson sampling (Agrawal and Goyal 2013) with one Bayesian ridge regression per arm:
 * theta_a ~ N(A_a⁻¹ b_a, scale² A_a⁻¹), play argmax x · theta_a. Context vectors are short
 * (a handful of features), so the d x d algebra is done directly.
 */
export class LinearThompson {
  readonly #a: Float64Array[];
  readonly #b: Float64Array[];
  readonly #lambda: number;
  readonly #scale: number;
  readonly #discount: number;

  constructor(
    readonly arms: number,
    readonly dimensions: number,
    opts: LinearThompsonOptions = {},
  ) {
    this.#lambda = opts.lambda ?? 1;
    this.#scale = opts.scale ?? 0.25;
    this.#discount = opts.discount ?? 1;
    const d = dimensions;
    this.#a = Array.from({ length: arms }, () => identity(d, this.#lambda));
    this.#b = Array.from({ length: arms }, () => new Float64Array(d));
  }

  /** Samples one parameter vector per arm and returns the arm whose sample scores `x` highest. */
  choose(x: readonly number[], rand: Rng): number {
    const d = this.dimensions;
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let arm = 0; arm < this.arms; arm++) {
      const l = cholesky(this.#a[arm] as Float64Array, d);
      const mean = Float64Array.from(this.#b[arm] as Float64Array);
      forwardSubstitute(l, mean, d);
      backSubstitute(l, mean, d);
      // theta = mean + scale · L⁻ᵀ z has covariance scale² (L Lᵀ)⁻¹ = scale² A⁻¹.
      const z = Float64Array.from({ length: d }, () => sampleNormal(rand));
      backSubstitute(l, z, d);
      const noise = z;
      let s = 0;
      for (let i = 0; i < d; i++)
        s += (x[i] as number) * ((mean[i] as number) + this.#scale * (noise[i] as number));
      if (s > bestScore) {
        bestScore = s;
        best = arm;
      }
    }
    return best;
  }

  /** Adds one observation (`reward` for `arm` in context `x`) after discounting older evidence. */
  update(x: readonly number[], arm: number, reward: number): void {
    const d = this.dimensions;
    const a = this.#a[arm] as Float64Array;
    const b = this.#b[arm] as Float64Array;
    const g = this.#discount;
    for (let i = 0; i < d; i++) {
      b[i] = (b[i] as number) * g + reward * (x[i] as number);
      for (let j = 0; j < d; j++) {
        const prior = i === j ? this.#lambda : 0;
        a[i * d + j] = prior + ((a[i * d + j] as number) - prior) * g + (x[i] as number) * (x[j] as number);
      }
    }
  }
}

function identity(d: number, v: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = v;
  return m;
}
