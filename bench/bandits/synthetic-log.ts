import { seededRandom } from '../../shared/random';
import type { LoggedDecision } from './bandit-log';

/** A synthetic logged-bandit problem whose true policy values are known exactly. */
export interface SyntheticLog {
  readonly log: LoggedDecision[];
  readonly actions: string[];
  /** True click rate of action `a` in device `x`. */
  readonly ctr: (device: string, action: string) => number;
  /** The logging policy's probabilities per device, in `actions` order. */
  readonly logging: (device: string) => number[];
  readonly devices: string[];
  /** Probability of each device. */
  readonly deviceShare: number[];
}

/**
 * Decisions over three devices and four actions, logged by a skewed (but known) policy with
 * Bernoulli rewards. `trueValue` gives any policy's exact value on this problem.
 */
export function syntheticBanditLog(rows = 20_000, seed = 5): SyntheticLog {
  const rand = seededRandom(seed);
  const devices = ['desktop', 'mobile', 'tv'];
  const deviceShare = [0.5, 0.35, 0.15];
  const actions = ['a0', 'a1', 'a2', 'a3'];
  const table: Record<string, number[]> = {
    desktop: [0.05, 0.1, 0.2, 0.08],
    mobile: [0.15, 0.04, 0.06, 0.12],
    tv: [0.02, 0.3, 0.1, 0.05],
  };
  const logging = (device: string) => (device === 'mobile' ? [0.1, 0.5, 0.3, 0.1] : [0.55, 0.25, 0.15, 0.05]);
  const ctr = (device: string, action: string) => table[device]?.[actions.indexOf(action)] ?? 0;
  const pick = (ps: readonly number[]) => {
    let u = rand();
    for (let i = 0; i < ps.length; i++) {
      u -= ps[i] as number;
      if (u < 0) return i;
    }
    return ps.length - 1;
  };
  const log: LoggedDecision[] = [];
  for (let i = 0; i < rows; i++) {
    const device = devices[pick(deviceShare)] as string;
    const probs = logging(device);
    const a = pick(probs);
    const action = actions[a] as string;
    log.push({
      context: { device },
      action,
      position: 0,
      reward: rand() < ctr(device, action) ? 1 : 0,
      propensity: probs[a] as number,
    });
  }
  return { log, actions, ctr, logging, devices, deviceShare };
}

/** The exact value of a policy (probabilities per device, in `actions` order) on a synthetic log. */
export function trueValue(s: SyntheticLog, policy: (device: string) => readonly number[]): number {
  return s.devices.reduce((sum, dev, i) => {
    const p = policy(dev);
    return (
      sum + (s.deviceShare[i] as number) * s.actions.reduce((v, a, j) => v + (p[j] ?? 0) * s.ctr(dev, a), 0)
    );
  }, 0);
}
