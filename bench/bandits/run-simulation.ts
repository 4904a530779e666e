import { seededRandom } from '../../shared/random';
import type { DriftingContextualArms } from './environment';
import type { SimPolicy } from './policies';

export interface RegretCurve {
  readonly name: string;
  /** Cumulative expected regret at each checkpoint. */
  readonly regret: number[];
  readonly clicks: number;
}

/**
 * Plays `rounds` rounds for each policy against the same context sequence and the same
 * environment; regret per round is the best rate minus the chosen arm's rate (expected regret,
 * so the curves are free of click noise). Checkpoints every `every` rounds.
 */
export function simulate(
  env: DriftingContextualArms,
  policies: readonly SimPolicy[],
  opts: { rounds: number; every?: number; seed?: number; onProgress?: (done: number) => void },
): { rounds: number[]; curves: RegretCurve[] } {
  const every = opts.every ?? 1000;
  const checkpoints: number[] = [];
  for (let t = every; t <= opts.rounds; t += every) checkpoints.push(t);
  const curves = policies.map((p, i) => {
    const ctxRand = seededRandom((opts.seed ?? 1) * 31 + 1);
    const rand = seededRandom((opts.seed ?? 1) * 31 + 7 + i);
    const regret: number[] = [];
    let total = 0;
    let clicks = 0;
    for (let t = 0; t < opts.rounds; t++) {
      const c = Math.floor(ctxRand() * env.contexts);
      const x = env.features(c);
      const arm = p.choose(c, x, rand);
      const reward = env.pull(arm, c, t, rand);
      p.update(c, x, arm, reward);
      clicks += reward;
      total += env.bestRate(c, t) - env.rate(arm, c, t);
      if ((t + 1) % every === 0) regret.push(total);
    }
    opts.onProgress?.(i + 1);
    return { name: p.name, regret, clicks };
  });
  return { rounds: checkpoints, curves };
}

/** Averages the curves of runs that played the same policies for the same rounds. */
export function averageRuns(runs: readonly { rounds: number[]; curves: RegretCurve[] }[]): {
  rounds: number[];
  curves: RegretCurve[];
} {
  const first = runs[0];
  if (!first) return { rounds: [], curves: [] };
  const n = runs.length;
  const curves = first.curves.map((c, i) => ({
    name: c.name,
    regret: c.regret.map((_, j) => runs.reduce((s, r) => s + (r.curves[i]?.regret[j] ?? 0), 0) / n),
    clicks: runs.reduce((s, r) => s + (r.curves[i]?.clicks ?? 0), 0) / n,
  }));
  return { rounds: first.rounds, curves };
}
