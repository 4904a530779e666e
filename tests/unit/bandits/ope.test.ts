import { describe, expect, it } from 'vitest';
import { formatBanditLog, parseBanditLog } from '../../../bench/bandits/bandit-log';
import { estimatePolicyValue, type OpeResult, type TargetPolicy } from '../../../bench/bandits/ope';
import { loggingTarget, uniformTarget } from '../../../bench/bandits/ope-policies';
import { type SyntheticLog, syntheticBanditLog, trueValue } from '../../../bench/bandits/synthetic-log';
import { seededRandom } from '../../../shared/random';

const REPLICATES = 30;
const logs = Array.from({ length: REPLICATES }, (_, i) => syntheticBanditLog(5000, 100 + i));

/**
 * Runs one estimator setup on every replicate log: the mean estimate (unbiasedness) and the
 * share of 95% intervals that contain the true value (coverage), per estimator.
 */
function replicate(target: (s: SyntheticLog) => TargetPolicy) {
  const results: OpeResult[] = logs.map((s, i) =>
    estimatePolicyValue(s.log, target(s), { rand: seededRandom(7 + i), bootstrap: 200 }),
  );
  const summary = (k: keyof OpeResult) => ({
    mean: results.reduce((a, r) => a + r[k].value, 0) / REPLICATES,
    coverage:
      results.filter((r, i) => {
        const t = truth(logs[i] as SyntheticLog);
        return r[k].low <= t && t <= r[k].high;
      }).length / REPLICATES,
  });
  let truth: (s: SyntheticLog) => number = () => 0;
  return {
    against(t: (s: SyntheticLog) => number) {
      truth = t;
      return { ipw: summary('ipw'), snips: summary('snips'), dr: summary('dr') };
    },
  };
}

describe('off-policy estimators on synthetic logs with known values', () => {
  it('uniform policy (true value exactly 0.10375): unbiased, intervals cover', () => {
    const t = trueValue(logs[0] as SyntheticLog, () => [0.25, 0.25, 0.25, 0.25]);
    expect(t).toBeCloseTo(0.10375, 10);
    const r = replicate(() => uniformTarget).against(() => t);
    for (const e of [r.ipw, r.snips, r.dr]) {
      expect(Math.abs(e.mean - t)).toBeLessThan(0.002);
      expect(e.coverage).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('logging policy recovered from the log: unbiased, intervals cover', () => {
    const s0 = logs[0] as SyntheticLog;
    const first = s0.log[0] as SyntheticLog['log'][number];
    expect(loggingTarget(s0.log)(first, s0.actions)).toEqual(s0.logging(first.context.device as string));
    const t = trueValue(s0, (d) => s0.logging(d));
    const r = replicate((s) => loggingTarget(s.log)).against(() => t);
    for (const e of [r.ipw, r.snips, r.dr]) {
      expect(Math.abs(e.mean - t)).toBeLessThan(0.002);
      expect(e.coverage).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('deterministic best-action policy (true value 0.1975, far from logging): unbiased, intervals cover', () => {
    const best: Record<string, number> = { desktop: 2, mobile: 0, tv: 1 };
    const policy = (device: string) => [0, 1, 2, 3].map((j) => (j === best[device] ? 1 : 0));
    const t = trueValue(logs[0] as SyntheticLog, policy);
    expect(t).toBeCloseTo(0.1975, 10);
    const r = replicate(() => (d) => policy(d.context.device as string)).against(() => t);
    // Importance weights up to 10 make the pooled standard error about 0.003 here: allow 2 SE.
    for (const e of [r.ipw, r.snips, r.dr]) {
      expect(Math.abs(e.mean - t)).toBeLessThan(0.006);
      expect(e.coverage).toBeGreaterThanOrEqual(0.8);
    }
  });
});

describe('bandit log CSV', () => {
  it('round-trips and rejects a bad propensity with its line number', () => {
    const rows = syntheticBanditLog(3, 1).log;
    expect(parseBanditLog(formatBanditLog(rows))).toEqual(rows);
    expect(() => parseBanditLog('ctx_device,action,position,reward,propensity\ntv,a1,0,1,0\n')).toThrow(
      'line 2: propensity',
    );
  });
});
