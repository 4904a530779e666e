import { sampleBeta } from '../../../shared/bandits/sampling';
import { seededRandom } from '../../../shared/random';

/** A Beta(alpha, beta) posterior over a click-through rate. */
export interface BetaPosterior {
  readonly alpha: number;
  readonly beta: number;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const g = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = g[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (g[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (Numerical Recipes' betacf). */
function betacf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const aa of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-12) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b): the Beta(a, b) CDF at x. */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betacf(a, b, x)) / a : 1 - (front * betacf(b, a, 1 - x)) / b;
}

/** The p-quantile of Beta(a, b), by bisection on the CDF (monotone, so it always converges). */
export function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Posterior mean and central 95% credible interval. */
export function summarize(p: BetaPosterior) {
  return {
    mean: p.alpha / (p.alpha + p.beta),
    interval: [betaQuantile(0.025, p.alpha, p.beta), betaQuantile(0.975, p.alpha, p.beta)] as [
      number,
      number,
    ],
  };
}

/**
 * Probability that each arm has the highest rate, by Monte Carlo over the posteriors with a
 * seeded PRNG (the same inputs always give the same answer). Ties go to the first arm.
 */
export function probabilityBest(arms: readonly BetaPosterior[], draws = 20_000, seed = 12345): number[] {
  const wins = new Array<number>(arms.length).fill(0);
  if (!arms.length) return wins;
  const rand = seededRandom(seed);
  for (let i = 0; i < draws; i++) {
    let best = 0;
    let bestValue = -1;
    arms.forEach((a, j) => {
      const v = sampleBeta(a.alpha, a.beta, rand);
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    });
    wins[best] = (wins[best] as number) + 1;
  }
  return wins.map((w) => w / draws);
}

/**
 * Difference of two click-through rates (treatment minus control) with a 95% Wald interval;
 * undefined width when either side has no impressions.
 */
export function ctrDifference(
  treatment: { impressions: number; clicks: number },
  control: { impressions: number; clicks: number },
) {
  if (!treatment.impressions || !control.impressions)
    return { difference: 0, interval: [0, 0] as [number, number], defined: false };
  const p1 = treatment.clicks / treatment.impressions;
  const p0 = control.clicks / control.impressions;
  const se = Math.sqrt((p1 * (1 - p1)) / treatment.impressions + (p0 * (1 - p0)) / control.impressions);
  const d = p1 - p0;
  return {
    difference: d,
    interval: [d - 1.959964 * se, d + 1.959964 * se] as [number, number],
    defined: true,
  };
}
