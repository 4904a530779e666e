import type { Rng } from '../../shared/bandits/sampling';
import { seededRandom } from '../../shared/random';

export interface EnvironmentOptions {
  /** @default 5 */
  readonly arms?: number;
  /** Context buckets (say, device x daypart). @default 4 */
  readonly contexts?: number;
  /** Rounds per full cycle of the drift. @default 40000 */
  readonly period?: number;
  /** Amplitude of the click-rate drift. @default 0.04 */
  readonly drift?: number;
  /** @default 3 */
  readonly seed?: number;
}

/**
 * Arms whose click rates depend on the context and drift over time: rate(a, c, t) =
 * base(a, c) + drift · sin(2πt / period + phase(a)), clamped to [0.005, 0.995]. The best arm per
 * context therefore changes during a run, so a policy has to keep learning.
 */
export class DriftingContextualArms {
  readonly arms: number;
  readonly contexts: number;
  readonly #base: number[][];
  readonly #phase: number[];
  readonly #period: number;
  readonly #drift: number;

  constructor(opts: EnvironmentOptions = {}) {
    const rand = seededRandom(opts.seed ?? 3);
    this.arms = opts.arms ?? 5;
    this.contexts = opts.contexts ?? 4;
    this.#period = opts.period ?? 40_000;
    this.#drift = opts.drift ?? 0.04;
    this.#base = Array.from({ length: this.arms }, () =>
      Array.from({ length: this.contexts }, () => 0.03 + rand() * 0.12),
    );
    this.#phase = Array.from({ length: this.arms }, () => rand() * 2 * Math.PI);
  }

  /** The click rate of `arm` in context `c` at round `t`. */
  rate(arm: number, c: number, t: number): number {
    const r =
      (this.#base[arm]?.[c] as number) +
      this.#drift * Math.sin((2 * Math.PI * t) / this.#period + (this.#phase[arm] as number));
    return Math.min(0.995, Math.max(0.005, r));
  }

  /** The best rate available in context `c` at round `t`. */
  bestRate(c: number, t: number): number {
    let best = 0;
    for (let a = 0; a < this.arms; a++) best = Math.max(best, this.rate(a, c, t));
    return best;
  }

  /** The feature vector of context `c`: a bias and a one-hot of the bucket. */
  features(c: number): number[] {
    return [1, ...Array.from({ length: this.contexts }, (_, i) => (i === c ? 1 : 0))];
  }

  /** A Bernoulli click for `arm` in `c` at `t`. */
  pull(arm: number, c: number, t: number, rand: Rng): number {
    return rand() < this.rate(arm, c, t) ? 1 : 0;
  }
}
