import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem } from '../../shared/ports/item-catalog';

/** What list ranking reads of a catalog item (no embedding: the job never needs it). */
export type ListItem = Pick<CatalogItem, 'item_id' | 'category' | 'popularity'> &
  Partial<Pick<CatalogItem, 'available' | 'deleted' | 'regions'>>;

/** A segment's taste: the mean of its members' relative category affinities, each in [0, 1]. */
export interface SegmentTaste {
  readonly segment: string;
  readonly members: number;
  readonly affinities: Readonly<Record<string, number>>;
}

/** A ranked list ready to store (the job adds `updated_at`). */
export interface ComputedList {
  readonly list_id: string;
  readonly item_ids: readonly string[];
}

/** Sizes and weights of the fallback lists, kept as data. */
export const LIST_DEFAULTS = {
  globalSize: 500,
  categorySize: 200,
  countrySize: 200,
  segmentSize: 200,
  /** Share of the score from recent trending (each term is normalized by its maximum). */
  trendWeight: 0.7,
  /** Share from the catalog `popularity`: items without recent interactions still rank. */
  popularityWeight: 0.3,
  /** Trailing window of the trending term. */
  windowMinutes: 24 * 60,
  /** A segment's full affinity for a category multiplies its items' scores by 1 + this. */
  segmentBoost: 1,
  /** Countries that always get a list, besides those named in item regions. */
  defaultCountries: ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP'] as readonly string[],
} as const;

/** Overrides of LIST_DEFAULTS. */
export type ListOptions = {
  readonly [K in keyof typeof LIST_DEFAULTS]?: K extends 'defaultCountries' ? readonly string[] : number;
};

// An option given as `undefined` keeps its default rather than erasing it.
const withDefaults = (opts: ListOptions) =>
  ({
    ...LIST_DEFAULTS,
    ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
  }) as { readonly [K in keyof typeof LIST_DEFAULTS]-?: NonNullable<ListOptions[K]> };

/** Deleted and unavailable items are never served, so they never enter a list. */
export const isListable = (item: ListItem): boolean => item.available !== false && item.deleted !== true;

const finite = (x: unknown): number => {
  const n = Number(x);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/**
 * One score per item, used by every list: `trendWeight * trend / maxTrend + popularityWeight *
 * popularity / maxPopularity`, the maxima taken over the scored items. Normalizing each term puts
 * interaction weights and catalog popularity on the same [0, 1] scale.
 */
export function blendScores(
  items: readonly ListItem[],
  trends: ReadonlyMap<string, number>,
  opts: ListOptions = {},
): Map<string, number> {
  const o = withDefaults(opts);
  // A loop, not Math.max(...spread): a large catalog would overflow the call stack.
  let maxTrend = 0;
  let maxPop = 0;
  for (const i of items) {
    maxTrend = Math.max(maxTrend, finite(trends.get(i.item_id)));
    maxPop = Math.max(maxPop, finite(i.popularity));
  }
  const part = (x: number, max: number) => (max > 0 ? x / max : 0);
  return new Map(
    items.map((i) => [
      i.item_id,
      o.trendWeight * part(finite(trends.get(i.item_id)), maxTrend) +
        o.popularityWeight * part(finite(i.popularity), maxPop),
    ]),
  );
}

/** Best first; ties go to the more popular item, then to the smaller id, so runs are reproducible. */
function topBy(items: readonly ListItem[], score: (i: ListItem) => number, size: number): string[] {
  return items
    .map((i) => ({ id: i.item_id, s: score(i), p: finite(i.popularity) }))
    .sort((a, b) => b.s - a.s || b.p - a.p || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, size)
    .map((x) => x.id);
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Items shown in `country`: those naming it in `regions`, and those without regions. */
const shownIn = (item: ListItem, country: string) =>
  !item.regions?.length || item.regions.some((r) => r.toUpperCase() === country);

/**
 * Every fallback list from the catalog, the trending scores and the segments' tastes: global
 * popular, popular per category, per country and per segment. Categories and countries come from
 * all of `items` (listable or not), so a category whose items all became unavailable gets an empty
 * list instead of keeping a stale one.
 */
export function computeLists(
  input: {
    readonly items: readonly ListItem[];
    readonly trends: ReadonlyMap<string, number>;
    readonly segments: readonly SegmentTaste[];
  },
  opts: ListOptions = {},
): ComputedList[] {
  const o = withDefaults(opts);
  const listable = input.items.filter(isListable);
  const scores = blendScores(listable, input.trends, o);
  const score = (i: ListItem) => scores.get(i.item_id) ?? 0;

  const categories = sorted(input.items.map((i) => i.category));
  const countries = sorted([
    ...o.defaultCountries.map((c) => c.toUpperCase()),
    ...input.items.flatMap((i) => (i.regions ?? []).map((r) => r.toUpperCase())),
  ]);
  const segments = [...input.segments].sort((a, b) => (a.segment < b.segment ? -1 : 1));

  return [
    { list_id: LIST_IDS.globalPopular, item_ids: topBy(listable, score, o.globalSize) },
    ...categories.map((c) => ({
      list_id: LIST_IDS.categoryPopular(c),
      item_ids: topBy(
        listable.filter((i) => i.category === c),
        score,
        o.categorySize,
      ),
    })),
    ...countries.map((c) => ({
      list_id: LIST_IDS.countryPopular(c),
      item_ids: topBy(
        listable.filter((i) => shownIn(i, c)),
        score,
        o.countrySize,
      ),
    })),
    ...segments.map((s) => ({
      list_id: LIST_IDS.segmentPopular(s.segment),
      item_ids: topBy(
        listable,
        (i) => score(i) * (1 + o.segmentBoost * (s.affinities[i.category] ?? 0)),
        o.segmentSize,
      ),
    })),
  ];
}
