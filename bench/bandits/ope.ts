import type { Rng } from '../../shared/bandits/sampling';
import { bucketOf, type LoggedDecision } from './bandit-log';

/** A target policy: the probability of each action for a logged decision's context. */
export type TargetPolicy = (d: LoggedDecision, actions: readonly string[]) => readonly number[];

export interface Estimate {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface OpeResult {
  readonly ipw: Estimate;
  readonly snips: Estimate;
  readonly dr: Estimate;
}

/**
 * Direct-method reward model for doubly robust: the mean reward per (bucket, action), shrunk
 * toward the action's overall mean with `prior` pseudo-observations so sparse cells stay sane.
 */
export function rewardModel(
  log: readonly LoggedDecision[],
  prior = 5,
): (bucket: string, action: string) => number {
  const cell = new Map<string, { n: number; s: number }>();
  const arm = new Map<string, { n: number; s: number }>();
  let total = 0;
  for (const d of log) {
    for (const [m, k] of [
      [cell, `${bucketOf(d)}#${d.action}`],
      [arm, d.action],
    ] as const) {
      const v = m.get(k) ?? { n: 0, s: 0 };
      v.n++;
      v.s += d.reward;
      m.set(k, v);
    }
    total += d.reward;
  }
  const global = log.length ? total / log.length : 0;
  return (bucket, action) => {
    const a = arm.get(action);
    const armMean = a ? (a.s + prior * global) / (a.n + prior) : global;
    const c = cell.get(`${bucket}#${action}`);
    return c ? (c.s + prior * armMean) / (c.n + prior) : armMean;
  };
}

/**
 * IPW, self-normalised IPW and doubly robust estimates of `target`'s value on a log, each with
 * a percentile bootstrap interval (rows resampled with replacement, `level` coverage).
 */
export function estimatePolicyValue(
  log: readonly LoggedDecision[],
  target: TargetPolicy,
  opts: { rand: Rng; bootstrap?: number; level?: number; actions?: readonly string[] },
): OpeResult {
  const actions = opts.actions ?? [...new Set(log.map((d) => d.action))].sort();
  const q = rewardModel(log);
  const n = log.length;
  const w = new Float64Array(n);
  const r = new Float64Array(n);
  const dr = new Float64Array(n);
  log.forEach((d, i) => {
    const pi = target(d, actions);
    const a = actions.indexOf(d.action);
    const bucket = bucketOf(d);
    w[i] = (pi[a] ?? 0) / d.propensity;
    r[i] = d.reward;
    let direct = 0;
    actions.forEach((act, j) => {
      direct += (pi[j] ?? 0) * q(bucket, act);
    });
    dr[i] = direct + (w[i] as number) * (d.reward - q(bucket, d.action));
  });
  const point = (idx: ArrayLike<number>) => {
    let sw = 0;
    let swr = 0;
    let sdr = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k] as number;
      sw += w[i] as number;
      swr += (w[i] as number) * (r[i] as number);
      sdr += dr[i] as number;
    }
    return [swr / idx.length, sw > 0 ? swr / sw : 0, sdr / idx.length] as const;
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const base = point(all);
  const reps = opts.bootstrap ?? 500;
  const samples: number[][] = [[], [], []];
  const idx = new Int32Array(n);
  for (let b = 0; b < reps; b++) {
    for (let k = 0; k < n; k++) idx[k] = Math.floor(opts.rand() * n);
    point(idx).forEach((v, e) => {
      samples[e]?.push(v);
    });
  }
  const alpha = (1 - (opts.level ?? 0.95)) / 2;
  const ci = (e: number): Estimate => {
    const s = (samples[e] ?? []).sort((x, y) => x - y);
    const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.floor(p * s.length)))] ?? Number.NaN;
    return { value: base[e] as number, low: at(alpha), high: at(1 - alpha) };
  };
  return { ipw: ci(0), snips: ci(1), dr: ci(2) };
}
