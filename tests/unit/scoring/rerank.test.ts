import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/random';
import type { Candidate } from '../../../shared/scoring/candidate';
import {
  explorationSlots,
  type RerankedItem,
  type RerankOptions,
  rerank,
} from '../../../shared/scoring/rerank';
import type { Rescored } from '../../../shared/scoring/rescore';
import type { SponsoredArm } from '../../../shared/scoring/slots';
import {
  DEFAULT_SURFACE_RULES,
  hardFiltersFromRules,
  type SurfaceRules,
  surfaceRulesFrom,
} from '../../../shared/scoring/surface-rules';

const cand = (
  item_id: string,
  category: string,
  score: number,
  extra: Partial<Candidate> = {},
): Candidate => ({
  item_id,
  category,
  score,
  source: 'popular',
  popularity: 0.5,
  freshness: 0,
  ...extra,
});
const res = (item_id: string, category: string, score: number, extra: Partial<Candidate> = {}): Rescored => ({
  candidate: cand(item_id, category, score, extra),
  score,
  sessionSimilarity: 0,
});
const rules = (over: Partial<SurfaceRules> = {}): SurfaceRules => ({
  ...DEFAULT_SURFACE_RULES.home,
  sponsoredPositions: [],
  explorationShare: 0,
  ...over,
});
const arm = (campaign_id: string, item: Candidate, alpha = 1, beta = 1): SponsoredArm => ({
  campaign_id,
  item,
  alpha,
  beta,
});
const run = (ranked: readonly Rescored[], opts: Partial<RerankOptions> = {}) =>
  rerank(ranked, { limit: 10, rules: rules(), rng: seededRandom(1), ...opts });
const ids = (page: readonly RerankedItem[]) => page.map((e) => e.rescored.candidate.item_id);
const slots = (page: readonly RerankedItem[]) => page.map((e) => e.slot);

/** Ten items over four categories, scores descending. */
const TEN = Array.from({ length: 10 }, (_, i) => res(`i${i}`, `c${i % 4}`, 1 - i / 20));

describe('rerank', () => {
  it('drops seen items and re-sorts by the multiplicative freshness boost', () => {
    const page = run([res('old', 'a', 0.6), res('new', 'b', 0.5, { freshness: 1 }), res('gone', 'a', 0.9)], {
      rules: rules({ freshnessBoost: 0.5 }),
      seen: new Set(['gone']),
    });
    expect(ids(page)).toEqual(['new', 'old']);
    expect(page[0]?.rescored.score).toBeCloseTo(0.75, 12);
    expect(page.map((e) => e.position)).toEqual([0, 1]);
  });

  it('caps a category in the window and defers the rest to the tail', () => {
    const ranked = [
      res('s1', 'shoes', 0.9),
      res('s2', 'shoes', 0.8),
      res('s3', 'shoes', 0.7),
      res('s4', 'shoes', 0.6),
      res('b1', 'books', 0.5),
      res('b2', 'books', 0.4),
    ];
    const page = run(ranked, { rules: rules({ maxPerCategory: 2, window: 4 }) });
    expect(ids(page)).toEqual(['s1', 's2', 'b1', 'b2', 's3', 's4']);
    expect(slots(page).every((s) => s === 'organic')).toBe(true);
  });

  it('counts a sponsored item toward the category cap', () => {
    const ranked = [res('s1', 'shoes', 0.9), res('s2', 'shoes', 0.8), res('b1', 'books', 0.5)];
    const page = run(ranked, {
      limit: 4,
      rules: rules({ maxPerCategory: 2, window: 4, sponsoredPositions: [3] }),
      sponsored: [arm('k', cand('ad', 'shoes', 0.1))],
    });
    expect(ids(page)).toEqual(['s1', 'b1', 's2', 'ad']);
    expect(slots(page)).toEqual(['organic', 'organic', 'organic', 'sponsored']);
  });

  it('puts the best sampled campaign first at the sponsored positions and moves organic duplicates', () => {
    const page = run(TEN, {
      rules: rules({ sponsoredPositions: [1, 4] }),
      sponsored: [
        arm('weak', cand('ad1', 'x', 0.1), 1, 5000),
        arm('strong', TEN[7]!.candidate, 5000, 1),
        arm('mid', cand('ad2', 'y', 0.1), 2500, 2500),
      ],
    });
    expect(ids(page)).toEqual(['i0', 'i7', 'i1', 'i2', 'ad2', 'i3', 'i4', 'i5', 'i6', 'i8']);
    expect(page[1]?.rescored.candidate).toMatchObject({ sponsored: true, campaign_id: 'strong' });
    expect(page[1]?.rescored.score).toBe(TEN[7]!.score);
    expect(page[4]?.slot).toBe('sponsored');
  });

  it('places pinned items, skipping ids that are absent or seen and positions past the page', () => {
    const page = run(TEN, {
      limit: 5,
      seen: new Set(['i9']),
      rules: rules({
        pinned: [
          { item_id: 'i8', position: 0 },
          { item_id: 'missing', position: 1 },
          { item_id: 'i9', position: 2 },
          { item_id: 'i6', position: 7 },
        ],
      }),
    });
    expect(ids(page)).toEqual(['i8', 'i0', 'i1', 'i2', 'i3']);
    expect(slots(page)).toEqual(['pinned', 'organic', 'organic', 'organic', 'organic']);
  });

  it('pins an item from the exploration pool when it is not ranked', () => {
    const page = run(TEN, {
      limit: 3,
      rules: rules({ pinned: [{ item_id: 'ed', position: 1 }] }),
      exploration: { pool: [cand('ed', 'z', 0.2, { source: 'editorial' })], posteriors: new Map() },
    });
    expect(ids(page)).toEqual(['i0', 'ed', 'i1']);
  });

  it('fills exploration slots at spread positions, never the first', () => {
    const pool = [cand('e1', 'x', 0.1), cand('e2', 'y', 0.1), cand('i0', 'c0', 1)];
    const posteriors = new Map([
      ['e1', { alpha: 5000, beta: 1 }],
      ['e2', { alpha: 2500, beta: 2500 }],
      ['i0', { alpha: 1, beta: 5000 }],
    ]);
    const twenty = Array.from({ length: 20 }, (_, i) => res(`i${i}`, `c${i % 7}`, 1 - i / 40));
    const page = run(twenty, {
      limit: 20,
      rules: rules({ explorationShare: 0.1 }),
      exploration: { pool, posteriors },
    });
    expect(
      page.filter((e) => e.slot === 'explore').map((e) => [e.position, e.rescored.candidate.item_id]),
    ).toEqual([
      [7, 'e1'],
      [13, 'e2'],
    ]);
    expect(page[7]?.rescored.candidate.source).toBe('explore');
    expect(page).toHaveLength(20);
  });

  it('shortens the page and moves placed items up when items run out', () => {
    const page = run([res('a', 'x', 0.9)], {
      rules: rules({ sponsoredPositions: [6] }),
      sponsored: [arm('k', cand('ad', 'y', 0.1))],
    });
    expect(ids(page)).toEqual(['a', 'ad']);
    expect(page.map((e) => e.position)).toEqual([0, 1]);
    expect(run([], { limit: 5 })).toEqual([]);
    expect(run(TEN, { limit: 0 })).toEqual([]);
  });

  it('orders by MMR when the surface asks for it', () => {
    const ranked = [
      res('a', 'x', 1, { vector: [1, 0] }),
      res('a2', 'x', 0.95, { vector: [1, 0] }),
      res('b', 'y', 0.7, { vector: [0, 1] }),
    ];
    expect(ids(run(ranked, { rules: rules({ diversity: 'mmr', mmrLambda: 0.5 }) }))).toEqual([
      'a',
      'b',
      'a2',
    ]);
  });
});

describe('explorationSlots', () => {
  it('gives about limit · share slots, at least one from five items, never the whole page', () => {
    expect([1, 4, 5, 10, 20, 25].map((n) => explorationSlots(n, 0.1))).toEqual([0, 0, 1, 1, 2, 3]);
    expect(explorationSlots(10, 0)).toBe(0);
    expect(explorationSlots(4, 1)).toBe(3);
  });
});

describe('surface rules', () => {
  it('has defaults for every surface and merges stored rules over them', () => {
    expect(surfaceRulesFrom(undefined, 'cart')).toBe(DEFAULT_SURFACE_RULES.cart);
    const merged = surfaceRulesFrom(
      {
        max_items_per_category: 4,
        sponsored_positions: [5, 1, 5, -1, 2.5],
        freshness_boost: 0.3,
        pinned_items: [
          { item_id: 'p', position: 0 },
          { item_id: 'q', position: 0 },
          { item_id: 'p', position: 3 },
        ],
      },
      'home',
    );
    expect(merged).toEqual({
      ...DEFAULT_SURFACE_RULES.home,
      maxPerCategory: 4,
      sponsoredPositions: [1, 5],
      freshnessBoost: 0.3,
      pinned: [{ item_id: 'p', position: 0 }],
    });
    const blocks = hardFiltersFromRules({ blocked_categories: ['adult'], blocked_items: ['x'] });
    expect([...(blocks.blockedCategories ?? [])]).toEqual(['adult']);
    expect([...(blocks.blockedItems ?? [])]).toEqual(['x']);
  });
});

const rankedArb = fc.array(
  fc.record({
    id: fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `i${i}`)),
    cat: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
    s: fc.double({ min: 0, max: 1, noNaN: true }),
    f: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { maxLength: 40 },
);
const toRanked = (xs: readonly { id: string; cat: string; s: number; f: number }[]) =>
  xs.map((x) => res(x.id, x.cat, x.s, { freshness: x.f }));

describe('rerank invariants (property)', () => {
  it('never duplicates, never exceeds the limit, never shortens below the unseen input', () => {
    fc.assert(
      fc.property(
        rankedArb,
        rankedArb,
        fc.uniqueArray(fc.constantFrom('i0', 'i1', 'i2', 'i3', 'i4', 'i5'), { maxLength: 4 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer(),
        fc.constantFrom<'cap' | 'mmr'>('cap', 'mmr'),
        (rankedRaw, poolRaw, seenIds, limit, seed, diversity) => {
          const ranked = toRanked(rankedRaw);
          const seen = new Set<string>(seenIds);
          const page = rerank(ranked, {
            limit,
            rng: seededRandom(seed),
            seen,
            rules: rules({
              diversity,
              explorationShare: 0.2,
              sponsoredPositions: [0, 3],
              pinned: [{ item_id: 'i9', position: 2 }],
            }),
            exploration: { pool: toRanked(poolRaw).map((r) => r.candidate), posteriors: new Map() },
            sponsored: toRanked(poolRaw.slice(0, 3)).map((r, i) => arm(`k${i}`, r.candidate)),
          });
          const unseen = new Set(ranked.map((r) => r.candidate.item_id).filter((id) => !seen.has(id)));
          expect(new Set(ids(page)).size).toBe(page.length);
          expect(page.length).toBeLessThanOrEqual(limit);
          expect(page.length).toBeGreaterThanOrEqual(Math.min(limit, unseen.size));
          expect(page.map((e) => e.position)).toEqual(page.map((_, i) => i));
          expect(ids(page).some((id) => seen.has(id))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts sponsored items exactly at the configured positions when arms exist', () => {
    fc.assert(
      fc.property(
        rankedArb,
        fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer(),
        (rankedRaw, positions, armCount, limit, seed) => {
          const ranked = toRanked(rankedRaw);
          fc.pre(new Set(ranked.map((r) => r.candidate.item_id)).size >= limit);
          const arms = Array.from({ length: armCount }, (_, i) => arm(`k${i}`, cand(`ad${i}`, 'x', 0.1)));
          const page = rerank(ranked, {
            limit,
            rng: seededRandom(seed),
            rules: rules({ sponsoredPositions: [...positions].sort((a, b) => a - b), explorationShare: 0.1 }),
            exploration: { pool: [cand('e', 'y', 0.1)], posteriors: new Map() },
            sponsored: arms,
          });
          const expected = [...positions]
            .filter((p) => p < limit)
            .sort((a, b) => a - b)
            .slice(0, armCount);
          const actual = page.filter((e) => e.slot === 'sponsored').map((e) => e.position);
          expect(actual).toEqual(expected);
          for (const p of expected) expect(page[p]?.rescored.candidate.sponsored).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds the category cap in the window when enough diverse items exist', () => {
    fc.assert(
      fc.property(
        rankedArb,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 12 }),
        (rankedRaw, cap, window) => {
          const ranked = toRanked(rankedRaw);
          const limit = 15;
          // rerank keeps the first occurrence of an id, so count categories the same way.
          const firstCat = new Map<string, string>();
          for (const r of ranked)
            if (!firstCat.has(r.candidate.item_id)) firstCat.set(r.candidate.item_id, r.candidate.category);
          const perCat = new Map<string, number>();
          for (const c of firstCat.values()) perCat.set(c, (perCat.get(c) ?? 0) + 1);
          const roomy = [...perCat.values()].reduce((n, k) => n + Math.min(k, cap), 0);
          fc.pre(roomy >= Math.min(window, limit));
          const page = rerank(ranked, {
            limit,
            rng: seededRandom(0),
            rules: rules({ maxPerCategory: cap, window }),
          });
          const counts = new Map<string, number>();
          for (const e of page.slice(0, window)) {
            const c = e.rescored.candidate.category;
            counts.set(c, (counts.get(c) ?? 0) + 1);
          }
          for (const n of counts.values()) expect(n).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 300 },
    );
  });
});
