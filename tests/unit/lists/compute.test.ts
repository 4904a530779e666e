import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blendScores,
  computeLists,
  type ListItem,
  type SegmentTaste,
} from '../../../origin-lambdas/lists/compute';

const item = (
  item_id: string,
  category: string,
  popularity: number,
  extra: Partial<ListItem> = {},
): ListItem => ({
  item_id,
  category,
  popularity,
  ...extra,
});

const ITEMS: ListItem[] = [
  item('a', 'books', 100),
  item('b', 'books', 50),
  item('c', 'music', 80, { regions: ['US'] }),
  item('d', 'music', 10, { regions: ['de', 'FR'] }),
  item('e', 'music', 90, { available: false }),
  item('f', 'books', 95, { deleted: true }),
  item('g', 'games', 0),
];
// Trend maximum 10 (b); popularity maximum 100 (a) among listable items.
const TRENDS = new Map([
  ['b', 10],
  ['d', 5],
  ['e', 100],
  ['zz', 50],
]);

const byId = (lists: ReturnType<typeof computeLists>) =>
  Object.fromEntries(lists.map((l) => [l.list_id, l.item_ids]));

describe('blendScores', () => {
  it('weighs normalized trend 0.7 and normalized popularity 0.3', () => {
    const s = blendScores(ITEMS.slice(0, 4), TRENDS);
    expect(s.get('a')).toBeCloseTo(0.3, 12); // no trend, top popularity
    expect(s.get('b')).toBeCloseTo(0.7 + 0.15, 12);
    expect(s.get('c')).toBeCloseTo(0.24, 12);
    expect(s.get('d')).toBeCloseTo(0.35 + 0.03, 12);
  });

  it('gives zeros, not NaN, when nothing has trend or popularity', () => {
    const s = blendScores([item('x', 'c', 0), item('y', 'c', Number.NaN)], new Map());
    expect([...s.values()]).toEqual([0, 0]);
  });
});

describe('computeLists', () => {
  it('ranks global, category, country and segment lists in exact order without unlistable items', () => {
    const segments: SegmentTaste[] = [
      { segment: 'readers', members: 2, affinities: { books: 1 } },
      { segment: 'listeners', members: 1, affinities: { music: 1 } },
    ];
    const lists = computeLists(
      { items: ITEMS, trends: TRENDS, segments },
      { defaultCountries: ['us', 'GB'] },
    );
    expect(lists.map((l) => l.list_id)).toEqual([
      'popular:global',
      'popular:category:books',
      'popular:category:games',
      'popular:category:music',
      'popular:country:DE',
      'popular:country:FR',
      'popular:country:GB',
      'popular:country:US',
      'popular:segment:listeners',
      'popular:segment:readers',
    ]);
    // Scores: b .85, d .38, a .30, c .24, g 0.
    expect(byId(lists)).toEqual({
      'popular:global': ['b', 'd', 'a', 'c', 'g'],
      'popular:category:books': ['b', 'a'],
      'popular:category:games': ['g'],
      // e (unavailable) keeps its category listed but never its place.
      'popular:category:music': ['d', 'c'],
      'popular:country:DE': ['b', 'd', 'a', 'g'],
      'popular:country:FR': ['b', 'd', 'a', 'g'],
      'popular:country:GB': ['b', 'a', 'g'],
      'popular:country:US': ['b', 'a', 'c', 'g'],
      // Music doubled: d .76, c .48 overtake a .30.
      'popular:segment:listeners': ['b', 'd', 'c', 'a', 'g'],
      // Books doubled: b 1.7, a .60 ahead of d .38.
      'popular:segment:readers': ['b', 'a', 'd', 'c', 'g'],
    });
  });

  it('ranks by catalog popularity alone when nothing trended, so lists are never empty', () => {
    const lists = computeLists(
      { items: ITEMS, trends: new Map(), segments: [] },
      // An option given as undefined keeps its default (500).
      { defaultCountries: [], globalSize: undefined },
    );
    expect(byId(lists)['popular:global']).toEqual(['a', 'c', 'b', 'd', 'g']);
  });

  it('cuts each list at its size and breaks score ties by popularity, then id', () => {
    const items = [item('m2', 'x', 5), item('m1', 'x', 5), item('m3', 'x', 7), item('m0', 'x', 5)];
    const lists = computeLists(
      { items, trends: new Map([['m3', 0]]), segments: [] },
      { globalSize: 3, categorySize: 2, popularityWeight: 0, trendWeight: 1, defaultCountries: [] },
    );
    expect(byId(lists)).toEqual({
      'popular:global': ['m3', 'm0', 'm1'],
      'popular:category:x': ['m3', 'm0'],
    });
  });

  it('never lists an unavailable or deleted item, whatever its trend (property)', () => {
    const arbItem = fc.record({
      item_id: fc.string({ minLength: 1, maxLength: 4 }),
      category: fc.constantFrom('a', 'b', 'c'),
      popularity: fc.double({ min: -10, max: 1000, noNaN: true }),
      available: fc.option(fc.boolean(), { nil: undefined }),
      deleted: fc.option(fc.boolean(), { nil: undefined }),
      regions: fc.option(fc.array(fc.constantFrom('US', 'DE', 'JP'), { maxLength: 2 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbItem, { selector: (i) => i.item_id, maxLength: 30 }),
        fc.nat(),
        (items, seed) => {
          const trends = new Map(items.map((i, k) => [i.item_id, (seed + k * 7) % 13]));
          const bad = new Set(
            items.filter((i) => i.available === false || i.deleted === true).map((i) => i.item_id),
          );
          const lists = computeLists({
            items,
            trends,
            segments: [{ segment: 's', members: 1, affinities: { a: 1 } }],
          });
          for (const l of lists) {
            expect(l.item_ids.filter((id) => bad.has(id))).toEqual([]);
            expect(new Set(l.item_ids).size).toBe(l.item_ids.length);
          }
          const global = lists[0]!;
          expect(global.item_ids.length).toBe(items.length - bad.size);
        },
      ),
      { numRuns: 200 },
    );
  });
});
