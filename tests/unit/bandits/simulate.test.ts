import { describe, expect, it } from 'vitest';
import { DriftingContextualArms } from '../../../bench/bandits/environment';
import { betaThompsonPolicy, epsilonGreedyPolicy, uniformPolicy } from '../../../bench/bandits/policies';
import { averageRuns, simulate } from '../../../bench/bandits/run-simulation';

describe('bandit simulator', () => {
  it('drifts: the best rate in a context changes over a period', () => {
    const env = new DriftingContextualArms({ period: 1000, drift: 0.05, seed: 1 });
    const rates = [0, 250, 500, 750].map((t) => env.rate(0, 0, t));
    expect(new Set(rates.map((r) => r.toFixed(4))).size).toBe(4);
    expect(env.features(2)).toEqual([1, 0, 0, 1, 0]);
  });

  it('Thompson sampling has less regret than epsilon-greedy, which beats uniform', () => {
    const env = new DriftingContextualArms({ drift: 0, seed: 2 });
    const run = simulate(
      env,
      [betaThompsonPolicy(env.arms, 1), epsilonGreedyPolicy(env.arms, 0.1, 1), uniformPolicy(env.arms)],
      { rounds: 20_000, every: 5000, seed: 3 },
    );
    const [ts, eg, un] = run.curves.map((c) => c.regret.at(-1) as number);
    expect(run.rounds).toEqual([5000, 10_000, 15_000, 20_000]);
    expect(ts).toBeLessThan(eg as number);
    expect(eg).toBeLessThan(un as number);
    const avg = averageRuns([run, run]);
    expect(avg.curves[0]?.regret).toEqual(run.curves[0]?.regret);
  });
});
