import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FilterableItem,
  filterItems,
  type HardFilters,
  mergeFilters,
  passesHardFilters,
} from '../../../shared/scoring/filters';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const CATS = ['shoes', 'books', 'toys', 'tools'];
const MODS = ['text', 'image', 'video', 'audio'] as const;
const COUNTRIES = ['FR', 'DE', 'US', 'JP'];

const item = (over: Partial<FilterableItem> = {}): FilterableItem => ({
  item_id: 'a',
  category: 'shoes',
  ...over,
});

const itemArb: fc.Arbitrary<FilterableItem> = fc.record(
  {
    item_id: fc.constantFrom(...IDS),
    category: fc.constantFrom(...CATS),
    modality: fc.constantFrom(...MODS),
    price: fc.integer({ min: 0, max: 200 }),
    available: fc.boolean(),
    deleted: fc.boolean(),
    regions: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { maxLength: 3 }),
    min_age: fc.constantFrom(0, 13, 18, 21),
  },
  { requiredKeys: ['item_id', 'category'] },
);

const setOf = <T extends string>(values: readonly T[]) =>
  fc.uniqueArray(fc.constantFrom(...values), { maxLength: values.length }).map((v) => new Set<string>(v));

const filtersArb: fc.Arbitrary<HardFilters> = fc.record(
  {
    blockedCategories: setOf(CATS),
    blockedItems: setOf(IDS),
    excludeIds: setOf(IDS),
    purchased: setOf(IDS),
    categories: setOf(CATS),
    modalities: setOf(MODS),
    priceMin: fc.integer({ min: 0, max: 200 }),
    priceMax: fc.integer({ min: 0, max: 200 }),
    country: fc.constantFrom(...COUNTRIES, 'fr', 'us'),
    viewerAge: fc.integer({ min: 0, max: 90 }),
  },
  { requiredKeys: [] },
);

/** The rules restated independently, one violation at a time. */
function violates(i: FilterableItem, f: HardFilters): boolean {
  const inSet = (s: ReadonlySet<string> | undefined, v: string) => s?.has(v) ?? false;
  const price = i.price;
  return (
    i.available === false ||
    i.deleted === true ||
    inSet(f.blockedItems, i.item_id) ||
    inSet(f.excludeIds, i.item_id) ||
    inSet(f.purchased, i.item_id) ||
    inSet(f.blockedCategories, i.category) ||
    (f.categories !== undefined && f.categories.size > 0 && !f.categories.has(i.category)) ||
    (f.modalities !== undefined && f.modalities.size > 0 && (!i.modality || !f.modalities.has(i.modality))) ||
    (f.priceMin !== undefined && (price === undefined || price < f.priceMin)) ||
    (f.priceMax !== undefined && (price === undefined || price > f.priceMax)) ||
    (i.regions !== undefined && (f.country === undefined || !i.regions.includes(f.country.toUpperCase()))) ||
    (i.min_age !== undefined && i.min_age > 0 && (f.viewerAge === undefined || f.viewerAge < i.min_age))
  );
}

const isSubsequence = <T>(sub: readonly T[], full: readonly T[]): boolean => {
  let j = 0;
  for (const x of full) if (j < sub.length && sub[j] === x) j++;
  return j === sub.length;
};

describe('passesHardFilters', () => {
  it('rejects unavailable and deleted items even with no filters', () => {
    expect(passesHardFilters(item(), {})).toBe(true);
    expect(passesHardFilters(item({ available: false }), {})).toBe(false);
    expect(passesHardFilters(item({ deleted: true }), {})).toBe(false);
  });

  it('rejects region-restricted items outside their regions or for an unknown country', () => {
    const fr = item({ regions: ['FR', 'BE'] });
    expect(passesHardFilters(fr, { country: 'fr' })).toBe(true);
    expect(passesHardFilters(fr, { country: 'US' })).toBe(false);
    expect(passesHardFilters(fr, {})).toBe(false);
    expect(passesHardFilters(item({ regions: [] }), { country: 'FR' })).toBe(false);
  });

  it('rejects age-restricted items for young or unknown viewers', () => {
    const adult = item({ min_age: 18 });
    expect(passesHardFilters(adult, { viewerAge: 18 })).toBe(true);
    expect(passesHardFilters(adult, { viewerAge: 17 })).toBe(false);
    expect(passesHardFilters(adult, {})).toBe(false);
    expect(passesHardFilters(item({ min_age: 0 }), {})).toBe(true);
  });

  it('treats a missing price or modality as failing a price or modality filter', () => {
    expect(passesHardFilters(item(), { priceMax: 10 })).toBe(false);
    expect(passesHardFilters(item({ price: 10 }), { priceMin: 10, priceMax: 10 })).toBe(true);
    expect(passesHardFilters(item(), { modalities: new Set(['image']) })).toBe(false);
    expect(passesHardFilters(item(), { modalities: new Set() })).toBe(true);
  });

  it('agrees with an independent statement of every rule (property)', () => {
    fc.assert(
      fc.property(itemArb, filtersArb, (i, f) => {
        expect(passesHardFilters(i, f)).toBe(!violates(i, f));
      }),
      { numRuns: 500 },
    );
  });
});

describe('filterItems', () => {
  it('keeps only compliant items, as an ordered subsequence, idempotently (property)', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 40 }), filtersArb, (catalog, f) => {
        const out = filterItems(catalog, f);
        for (const i of out) expect(violates(i, f)).toBe(false);
        expect(out.length).toBe(catalog.filter((i) => !violates(i, f)).length);
        expect(isSubsequence(out, catalog)).toBe(true);
        expect(filterItems(out, f)).toEqual(out);
      }),
      { numRuns: 300 },
    );
  });
});

describe('mergeFilters', () => {
  it('unions block sets and lets later parts override allow-lists and scalars', () => {
    const merged = mergeFilters(
      { blockedItems: new Set(['a']), categories: new Set(['shoes']), priceMax: 50, country: 'FR' },
      undefined,
      {
        blockedItems: new Set(['b']),
        purchased: new Set(['c']),
        categories: new Set(['books']),
        priceMax: 20,
      },
    );
    expect([...(merged.blockedItems ?? [])].sort()).toEqual(['a', 'b']);
    expect([...(merged.purchased ?? [])]).toEqual(['c']);
    expect([...(merged.categories ?? [])]).toEqual(['books']);
    expect(merged.priceMax).toBe(20);
    expect(merged.country).toBe('FR');
  });

  it('passes an item only if it passes every part (property)', () => {
    const blocksOnly = filtersArb.map(({ blockedCategories, blockedItems, excludeIds, purchased }) => ({
      blockedCategories,
      blockedItems,
      excludeIds,
      purchased,
    }));
    fc.assert(
      fc.property(itemArb, blocksOnly, blocksOnly, (i, a, b) => {
        const both = passesHardFilters(i, a) && passesHardFilters(i, b);
        expect(passesHardFilters(i, mergeFilters(a, b))).toBe(both);
      }),
    );
  });
});
