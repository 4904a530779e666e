import { describe, expect, it } from 'vitest';
import { experimentResults } from '../../../origin-lambdas/admin/experiments/results';
import {
  betaCdf,
  betaQuantile,
  ctrDifference,
  probabilityBest,
  summarize,
} from '../../../origin-lambdas/admin/stats/beta';
import { campaignStats } from '../../../origin-lambdas/admin/stats/campaign-stats';
import { posteriorOf } from '../../../origin-lambdas/admin/stats/posteriors';

describe('Beta posterior math against hand-computed values', () => {
  it('computes the CDF and quantiles of closed-form cases', () => {
    // Beta(2, 1) has CDF x^2; Beta(1, 3) has CDF 1 - (1 - x)^3.
    expect(betaCdf(0.5, 2, 1)).toBeCloseTo(0.25, 10);
    expect(betaCdf(0.3, 1, 3)).toBeCloseTo(1 - 0.7 ** 3, 10);
    expect(betaQuantile(0.025, 2, 1)).toBeCloseTo(Math.sqrt(0.025), 8);
    expect(betaQuantile(0.975, 2, 1)).toBeCloseTo(Math.sqrt(0.975), 8);
    expect(betaQuantile(0.975, 1, 3)).toBeCloseTo(1 - 0.025 ** (1 / 3), 8);
  });

  it('summarizes a posterior as its mean and central 95% interval', () => {
    const s = summarize({ alpha: 1, beta: 1 });
    expect(s.mean).toBe(0.5);
    expect(s.interval[0]).toBeCloseTo(0.025, 8);
    expect(s.interval[1]).toBeCloseTo(0.975, 8);
    // Large counts: close to the normal approximation around 0.1.
    const big = summarize({ alpha: 1001, beta: 9001 });
    const sd = Math.sqrt((0.1 * 0.9) / 10002);
    expect(big.interval[0]).toBeCloseTo(0.1 - 1.96 * sd, 3);
    expect(big.interval[1]).toBeCloseTo(0.1 + 1.96 * sd, 3);
  });

  it('estimates the probability of being best within Monte Carlo error of the exact value', () => {
    // P(Beta(2,1) > Beta(1,1)) = E[X] = 2/3; P(Beta(2,1) > Beta(1,2)) = 5/6. With 20k draws the
    // standard error is under 0.0034, so 0.01 is three standard errors.
    const near = (x: number | undefined, exact: number) =>
      expect(Math.abs((x as number) - exact)).toBeLessThan(0.01);
    near(
      probabilityBest([
        { alpha: 2, beta: 1 },
        { alpha: 1, beta: 1 },
      ])[0],
      2 / 3,
    );
    near(
      probabilityBest([
        { alpha: 2, beta: 1 },
        { alpha: 1, beta: 2 },
      ])[0],
      5 / 6,
    );
    const three = probabilityBest([1, 2, 3].map(() => ({ alpha: 1, beta: 1 })));
    for (const p of three) near(p, 1 / 3);
    expect(three.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('is reproducible for a seed', () => {
    const arms = [
      { alpha: 12, beta: 90 },
      { alpha: 15, beta: 88 },
    ];
    expect(probabilityBest(arms, 5000, 7)).toEqual(probabilityBest(arms, 5000, 7));
  });

  it('gives the CTR difference with a 95% Wald interval', () => {
    const d = ctrDifference({ impressions: 1000, clicks: 60 }, { impressions: 1000, clicks: 50 });
    const se = Math.sqrt((0.06 * 0.94) / 1000 + (0.05 * 0.95) / 1000);
    expect(d.difference).toBeCloseTo(0.01, 12);
    expect(d.interval[0]).toBeCloseTo(0.01 - 1.959964 * se, 10);
    expect(d.interval[1]).toBeCloseTo(0.01 + 1.959964 * se, 10);
    expect(ctrDifference({ impressions: 0, clicks: 0 }, { impressions: 10, clicks: 1 }).defined).toBe(false);
  });

  it('updates the prior with counts, or reads stored parameters', () => {
    expect(
      posteriorOf({ arm_id: 'a', context: '*', impressions: 100, rewards: 7 }, { alpha: 2, beta: 3 }),
    ).toEqual({
      alpha: 9,
      beta: 96,
    });
    // Stored alpha/beta are counts without the prior, as the stream handler writes them.
    expect(posteriorOf({ arm_id: 'a', context: '*', alpha: 4, beta: 5 }, { alpha: 1, beta: 1 })).toEqual({
      alpha: 5,
      beta: 6,
    });
    expect(posteriorOf(undefined, { alpha: 1, beta: 1 })).toEqual({ alpha: 1, beta: 1 });
  });
});

describe('experiment results and campaign stats', () => {
  it('reports per-variant CTR, difference to control, P(best) and guardrails', () => {
    const rows = new Map([
      ['control', { arm_id: 'x', context: 'all', impressions: 1000, clicks: 50 }],
      ['treatment', { arm_id: 'y', context: 'all', impressions: 1000, clicks: 40 }],
    ]);
    const r = experimentResults(
      {
        variants: [
          { name: 'control', weight: 1, ranking: {} },
          { name: 'treatment', weight: 1, ranking: {} },
        ],
        control: 'control',
        guardrails: [{ metric: 'ctr', max_relative_drop: 0.1 }],
      },
      rows,
    );
    expect(r.variants[0]).toMatchObject({
      variant: 'control',
      ctr: 0.05,
      posterior: { alpha: 51, beta: 951 },
    });
    expect(r.variants[0]?.difference).toBeUndefined();
    expect(r.variants[1]?.difference?.ctr).toBeCloseTo(-0.01, 12);
    expect(
      (r.variants[0]?.probability_best as number) + (r.variants[1]?.probability_best as number),
    ).toBeCloseTo(1, 10);
    expect(r.variants[0]?.probability_best).toBeGreaterThan(0.8);
    expect(r.guardrails).toEqual([
      { metric: 'ctr', variant: 'treatment', relative_drop: expect.closeTo(0.2, 10), breached: true },
    ]);
  });

  it('computes campaign stats per context bucket against its competitors', () => {
    const stats = campaignStats(
      {
        armId: 'campaign:a',
        prior: { alpha: 1, beta: 1 },
        rows: [
          { arm_id: 'campaign:a', context: 'surface=home', impressions: 200, clicks: 20, conversions: 5 },
          { arm_id: 'campaign:a', context: 'all', impressions: 300, clicks: 24, conversions: 6 },
        ],
      },
      [
        {
          armId: 'campaign:b',
          prior: { alpha: 1, beta: 1 },
          rows: [{ arm_id: 'campaign:b', context: 'all', impressions: 300, clicks: 24 }],
        },
      ],
    );
    expect(stats.map((s) => s.context)).toEqual(['all', 'surface=home']);
    const [all, home] = stats;
    expect(all).toMatchObject({
      ctr: 0.08,
      conversion_rate: 0.25,
      competitors: 1,
      posterior: { alpha: 25, beta: 277 },
    });
    // Identical posteriors: each is best half the time.
    expect(Math.abs((all?.probability_best as number) - 0.5)).toBeLessThan(0.012);
    expect(home).toMatchObject({
      ctr: 0.1,
      competitors: 0,
      probability_best: 1,
      posterior: { alpha: 21, beta: 181 },
    });
    expect(home?.posterior.mean).toBeCloseTo(21 / 202, 12);
  });
});
