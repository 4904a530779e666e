import { describe, expect, it } from 'vitest';
import { BetaThompson } from '../../../shared/bandits/beta-thompson';
import { LinearThompson } from '../../../shared/bandits/linear-thompson';
import { sampleBeta, sampleGamma } from '../../../shared/bandits/sampling';
import { seededRandom } from '../../../shared/random';

describe('Beta and Gamma sampling', () => {
  it('matches the Beta(2, 5) mean 2/7 and variance 10/392', () => {
    const rand = seededRandom(1);
    const xs = Array.from({ length: 40_000 }, () => sampleBeta(2, 5, rand));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(2 / 7, 2);
    expect(variance).toBeCloseTo(10 / 392, 3);
    expect(Math.min(...xs)).toBeGreaterThan(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('handles shapes below 1 (Gamma(0.5) has mean 0.5)', () => {
    const rand = seededRandom(2);
    const xs = Array.from({ length: 40_000 }, () => sampleGamma(0.5, rand));
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
});

describe('BetaThompson', () => {
  it('plays the best arm most often on a skewed posterior and still explores the others', () => {
    const ts = new BetaThompson(3);
    // Arm 1: 30 clicks in 100; arm 0: 20 in 100; arm 2: 3 in 20.
    for (let i = 0; i < 100; i++) ts.update('mobile', 0, i < 20 ? 1 : 0);
    for (let i = 0; i < 100; i++) ts.update('mobile', 1, i < 30 ? 1 : 0);
    for (let i = 0; i < 20; i++) ts.update('mobile', 2, i < 3 ? 1 : 0);
    const p = ts.choiceProbabilities('mobile', seededRandom(3), 5000);
    expect(p[1]).toBeGreaterThan(0.8);
    expect(p[0]).toBeGreaterThan(0.01);
    expect(p[2]).toBeGreaterThan(0.005);
    expect(ts.means('mobile').map((m) => Math.round(m * 1000) / 1000)).toEqual([0.206, 0.304, 0.182]);
  });

  it('keeps context buckets apart', () => {
    const ts = new BetaThompson(2);
    for (let i = 0; i < 200; i++) {
      ts.update('tv', 0, 1);
      ts.update('tv', 1, 0);
      ts.update('desktop', 0, 0);
      ts.update('desktop', 1, 1);
    }
    const rand = seededRandom(4);
    expect(ts.choose('tv', rand)).toBe(0);
    expect(ts.choose('desktop', rand)).toBe(1);
  });

  it('forgets old evidence with a discount, so a drifted arm can win again', () => {
    const ts = new BetaThompson(2, { discount: 0.95 });
    for (let i = 0; i < 500; i++) ts.update('b', 0, 1);
    for (let i = 0; i < 200; i++) ts.update('b', 0, 0);
    // After the switch arm 0's mean tracks its recent failures, not its long history of clicks.
    expect(ts.means('b')[0]).toBeLessThan(0.1);
  });
});

describe('LinearThompson', () => {
  it('learns which arm pays in which context from features', () => {
    const lin = new LinearThompson(2, 3);
    const rand = seededRandom(5);
    const ctx = (c: number) => [1, c === 0 ? 1 : 0, c === 1 ? 1 : 0];
    for (let t = 0; t < 3000; t++) {
      const c = t % 2;
      const arm = lin.choose(ctx(c), rand);
      const rate = arm === c ? 0.6 : 0.1;
      lin.update(ctx(c), arm, rand() < rate ? 1 : 0);
    }
    let right = 0;
    for (let i = 0; i < 200; i++) if (lin.choose(ctx(i % 2), rand) === i % 2) right++;
    expect(right).toBeGreaterThan(180);
  });
});
