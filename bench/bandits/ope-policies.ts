import { BetaThompson } from '../../shared/bandits/beta-thompson';
import type { Rng } from '../../shared/bandits/sampling';
import { bucketOf, type LoggedDecision } from './bandit-log';
import type { TargetPolicy } from './ope';

/** Uniform random over the logged actions. */
export const uniformTarget: TargetPolicy = (_d, actions) => actions.map(() => 1 / actions.length);

/**
 * The logging policy itself, recovered from the log: in each bucket an action's probability is
 * the propensity logged when it was chosen there; actions never chosen in a bucket share what
 * is left. Exact for a logging policy that is fixed per bucket.
 */
export function loggingTarget(log: readonly LoggedDecision[]): TargetPolicy {
  const seen = new Map<string, Map<string, number>>();
  for (const d of log) {
    const b = bucketOf(d);
    const m = seen.get(b) ?? new Map<string, number>();
    m.set(d.action, d.propensity);
    seen.set(b, m);
  }
  return (d, actions) => {
    const m = seen.get(bucketOf(d)) ?? new Map<string, number>();
    const known = actions.reduce((s, a) => s + (m.get(a) ?? 0), 0);
    const unknown = actions.filter((a) => !m.has(a)).length;
    return actions.map((a) => m.get(a) ?? (unknown ? Math.max(0, 1 - known) / unknown : 0));
  };
}

/**
 * Attune's Thompson sampling (the shared Beta-per-bucket core) trained on the log with 2-fold
 * cross-fitting: the policy that judges a row never learned from it. Its action probabilities
 * are estimated by drawing from the posterior `draws` times per bucket.
 */
export function thompsonTarget(log: readonly LoggedDecision[], rand: Rng, draws = 2000): TargetPolicy {
  const actions = [...new Set(log.map((d) => d.action))].sort();
  const folds = [0, 1].map((f) => {
    const ts = new BetaThompson(actions.length);
    log.forEach((d, i) => {
      if (i % 2 !== f) ts.update(bucketOf(d), actions.indexOf(d.action), d.reward);
    });
    return { ts, cache: new Map<string, number[]>() };
  });
  const index = new Map(log.map((d, i) => [d, i]));
  return (d, acts) => {
    const fold = folds[(index.get(d) ?? 0) % 2] as (typeof folds)[number];
    const b = bucketOf(d);
    let p = fold.cache.get(b);
    if (!p) {
      p = fold.ts.choiceProbabilities(b, rand, draws);
      fold.cache.set(b, p);
    }
    return acts.map((a) => p[actions.indexOf(a)] ?? 0);
  };
}
