import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/random';
import type { Candidate } from '../../../shared/scoring/candidate';
import { chooseExploration, chooseSponsored, type SponsoredArm } from '../../../shared/scoring/slots';

const cand = (item_id: string, extra: Partial<Candidate> = {}): Candidate => ({
  item_id,
  category: 'shoes',
  score: 0.5,
  source: 'popular',
  popularity: 0.5,
  freshness: 0,
  ...extra,
});

const arm = (campaign_id: string, item_id: string, extra: Partial<SponsoredArm> = {}): SponsoredArm => ({
  campaign_id,
  item: cand(item_id),
  alpha: 1,
  beta: 1,
  ...extra,
});

describe('chooseExploration', () => {
  it('is reproducible with a seeded rng', () => {
    const pool = ['a', 'b', 'c', 'd', 'e'].map((id) => cand(id));
    const pick = () => chooseExploration(pool, new Map(), 3, seededRandom(42)).map((c) => c.item_id);
    expect(pick()).toEqual(['d', 'c', 'e']);
    expect(pick()).toEqual(pick());
  });

  it('orders by posterior draws and marks items as exploration', () => {
    const pool = [cand('low'), cand('high'), cand('mid'), cand('high')];
    const posteriors = new Map([
      ['low', { alpha: 1, beta: 5000 }],
      ['high', { alpha: 5000, beta: 1 }],
      ['mid', { alpha: 5000, beta: 5000 }],
    ]);
    const out = chooseExploration(pool, posteriors, 5, seededRandom(1));
    expect(out.map((c) => c.item_id)).toEqual(['high', 'mid', 'low']);
    expect(out.every((c) => c.source === 'explore')).toBe(true);
    expect(chooseExploration(pool, posteriors, 0, seededRandom(1))).toEqual([]);
  });

  it('treats a missing posterior as Beta(1, 1): P(Beta(3,1) beats it) = E[Beta(3,1)] = 3/4', () => {
    const rng = seededRandom(2024);
    const posteriors = new Map([['known', { alpha: 3, beta: 1 }]]);
    const pool = [cand('known'), cand('unknown')];
    let wins = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) {
      if (chooseExploration(pool, posteriors, 1, rng)[0]?.item_id === 'known') wins++;
    }
    expect(wins / runs).toBeGreaterThan(0.72);
    expect(wins / runs).toBeLessThan(0.78);
  });
});

describe('chooseSponsored', () => {
  it('is reproducible with a seeded rng and marks items with their campaign', () => {
    const arms = ['a', 'b', 'c'].map((id, i) => arm(`k${i + 1}`, id, { alpha: 2, beta: 5 }));
    const out = chooseSponsored(arms, 2, seededRandom(7));
    expect(out.map((c) => [c.item_id, c.campaign_id, c.sponsored])).toEqual([
      ['b', 'k2', true],
      ['a', 'k1', true],
    ]);
  });

  it('breaks tied draws by priority, then campaign id', () => {
    // A constant rng makes every Beta(1, 1) draw identical.
    const constant = () => 0.5;
    const arms = [
      arm('z', 'a', { priority: 1 }),
      arm('y', 'b', { priority: 9 }),
      arm('x', 'c', { priority: 1 }),
    ];
    expect(chooseSponsored(arms, 3, constant).map((c) => c.campaign_id)).toEqual(['y', 'x', 'z']);
  });

  it('returns one item per campaign, its best arm, and never the same item twice', () => {
    const arms = [
      arm('k1', 'weak', { alpha: 1, beta: 5000 }),
      arm('k1', 'strong', { alpha: 5000, beta: 1 }),
      arm('k2', 'strong', { alpha: 4000, beta: 1000 }),
      arm('k3', 'other', { alpha: 1000, beta: 4000 }),
    ];
    const out = chooseSponsored(arms, 5, seededRandom(3));
    expect(out.map((c) => [c.campaign_id, c.item_id])).toEqual([
      ['k1', 'strong'],
      ['k3', 'other'],
    ]);
  });

  it('survives corrupt posteriors by using the uniform prior', () => {
    const out = chooseSponsored([arm('k', 'a', { alpha: 0, beta: Number.NaN })], 1, seededRandom(5));
    expect(out.map((c) => c.item_id)).toEqual(['a']);
  });

  it('returns at most n distinct campaigns and items (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            campaign_id: fc.constantFrom('k1', 'k2', 'k3', 'k4'),
            item: fc.constantFrom('a', 'b', 'c', 'd', 'e').map((id) => cand(id)),
            alpha: fc.double({ min: 0.1, max: 50, noNaN: true }),
            beta: fc.double({ min: 0.1, max: 50, noNaN: true }),
            priority: fc.integer({ min: 0, max: 3 }),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 0, max: 5 }),
        fc.integer(),
        (arms, n, seed) => {
          const out = chooseSponsored(arms, n, seededRandom(seed));
          expect(out.length).toBeLessThanOrEqual(n);
          expect(new Set(out.map((c) => c.campaign_id)).size).toBe(out.length);
          expect(new Set(out.map((c) => c.item_id)).size).toBe(out.length);
          for (const c of out) {
            expect(arms.some((a) => a.campaign_id === c.campaign_id && a.item.item_id === c.item_id)).toBe(
              true,
            );
          }
        },
      ),
    );
  });
});
