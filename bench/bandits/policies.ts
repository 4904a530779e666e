import { BetaThompson } from '../../shared/bandits/beta-thompson';
import { LinearThompson } from '../../shared/bandits/linear-thompson';
import type { Rng } from '../../shared/bandits/sampling';

/** A policy under simulation: picks an arm for a context and learns from the reward. */
export interface SimPolicy {
  readonly name: string;
  choose(context: number, features: readonly number[], rand: Rng): number;
  update(context: number, features: readonly number[], arm: number, reward: number): void;
}

/** Thompson sampling with a Beta posterior per context bucket (the shared core). */
export function betaThompsonPolicy(arms: number, discount: number): SimPolicy {
  const ts = new BetaThompson(arms, { discount });
  return {
    name: 'Thompson (Beta per context)',
    choose: (c, _x, rand) => ts.choose(String(c), rand),
    update: (c, _x, a, r) => ts.update(String(c), a, r),
  };
}

/** Linear Thompson sampling over the context features (the shared core). */
export function linearThompsonPolicy(arms: number, dims: number, discount: number): SimPolicy {
  const ts = new LinearThompson(arms, dims, { discount, scale: 0.1 });
  return {
    name: 'Linear Thompson',
    choose: (_c, x, rand) => ts.choose(x, rand),
    update: (_c, x, a, r) => ts.update(x, a, r),
  };
}

/**
 * Epsilon-greedy per context bucket: explore uniformly with probability epsilon, otherwise
 * play the best running mean. With `discount` 1 these are plain sample means (the textbook
 * policy); below 1 they forget at the same rate as Thompson sampling, which isolates the
 * difference in how each explores from how each forgets.
 */
export function epsilonGreedyPolicy(arms: number, epsilon: number, discount: number): SimPolicy {
  const sums = new Map<number, { n: number[]; s: number[] }>();
  const get = (c: number) => {
    let v = sums.get(c);
    if (!v) {
      v = { n: new Array(arms).fill(0), s: new Array(arms).fill(0) };
      sums.set(c, v);
    }
    return v;
  };
  return {
    name: discount < 1 ? `Epsilon-greedy (${epsilon}, discounted)` : `Epsilon-greedy (${epsilon})`,
    choose(c, _x, rand) {
      if (rand() < epsilon) return Math.floor(rand() * arms);
      const { n, s } = get(c);
      let best = 0;
      let bestMean = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < arms; a++) {
        // Untried arms first, so every arm has an estimate.
        const m = (n[a] as number) === 0 ? Number.POSITIVE_INFINITY : (s[a] as number) / (n[a] as number);
        if (m > bestMean) {
          bestMean = m;
          best = a;
        }
      }
      return best;
    },
    update(c, _x, a, r) {
      const v = get(c);
      for (let i = 0; i < arms; i++) {
        v.n[i] = (v.n[i] as number) * discount;
        v.s[i] = (v.s[i] as number) * discount;
      }
      v.n[a] = (v.n[a] as number) + 1;
      v.s[a] = (v.s[a] as number) + r;
    },
  };
}

/** Uniform random play: the no-learning baseline. */
export function uniformPolicy(arms: number): SimPolicy {
  return { name: 'Uniform random', choose: (_c, _x, rand) => Math.floor(rand() * arms), update: () => {} };
}
