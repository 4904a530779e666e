import { type Rng, sampleBeta } from './sampling';

export interface BetaThompsonOptions {
  /** Prior pseudo-counts. @default 1 and 1 (uniform) */
  readonly priorAlpha?: number;
  readonly priorBeta?: number;
  /**
   * Factor applied to a bucket's evidence before each update, so old clicks fade and drifting
   * click rates are tracked. 1 keeps everything (stationary arms). @default 1
   */
  readonly discount?: number;
}

interface Posterior {
  alpha: number[];
  beta: number[];
}

/**
 * Thompson sampling with a Beta posterior per arm and context bucket: draw one click rate per
 * arm from its posterior and play the best draw. Pure state and an injected RNG, so the edge
 * and the origin run the same code.
 */
export class BetaThompson {
  readonly #buckets = new Map<string, Posterior>();
  readonly #a0: number;
  readonly #b0: number;
  readonly #discount: number;

  constructor(
    readonly arms: number,
    opts: BetaThompsonOptions = {},
  ) {
    this.#a0 = opts.priorAlpha ?? 1;
    this.#b0 = opts.priorBeta ?? 1;
    this.#discount = opts.discount ?? 1;
  }

  /** The arm to play in `bucket`. */
  choose(bucket: string, rand: Rng): number {
    const p = this.#posterior(bucket);
    let best = 0;
    let bestDraw = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < this.arms; a++) {
      const draw = sampleBeta(p.alpha[a] as number, p.beta[a] as number, rand);
      if (draw > bestDraw) {
        bestDraw = draw;
        best = a;
      }
    }
    return best;
  }

  /** Records a reward in [0, 1] (a click is 1) for `arm` in `bucket`. */
  update(bucket: string, arm: number, reward: number): void {
    const p = this.#posterior(bucket);
    if (this.#discount < 1) {
      for (let a = 0; a < this.arms; a++) {
        p.alpha[a] = this.#a0 + ((p.alpha[a] as number) - this.#a0) * this.#discount;
        p.beta[a] = this.#b0 + ((p.beta[a] as number) - this.#b0) * this.#discount;
      }
    }
    p.alpha[arm] = (p.alpha[arm] as number) + reward;
    p.beta[arm] = (p.beta[arm] as number) + (1 - reward);
  }

  /** Posterior mean click rate per arm in `bucket`. */
  means(bucket: string): number[] {
    const p = this.#posterior(bucket);
    return p.alpha.map((a, i) => a / (a + (p.beta[i] as number)));
  }

  /** The probability each arm is chosen in `bucket`, estimated from `draws` samples. */
  choiceProbabilities(bucket: string, rand: Rng, draws = 1000): number[] {
    const counts = new Array<number>(this.arms).fill(0);
    for (let i = 0; i < draws; i++) {
      const a = this.choose(bucket, rand);
      counts[a] = (counts[a] as number) + 1;
    }
    return counts.map((c) => c / draws);
  }

  #posterior(bucket: string): Posterior {
    let p = this.#buckets.get(bucket);
    if (!p) {
      p = { alpha: new Array(this.arms).fill(this.#a0), beta: new Array(this.arms).fill(this.#b0) };
      this.#buckets.set(bucket, p);
    }
    return p;
  }
}
