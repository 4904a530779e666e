import type { CatalogItem } from '../ports/item-catalog';

/** The fields hard filters look at; a `Candidate` qualifies (it has only id and category). */
export type FilterableItem = Pick<CatalogItem, 'item_id' | 'category'> &
  Partial<Pick<CatalogItem, 'modality' | 'price' | 'available' | 'deleted' | 'regions' | 'min_age'>>;

/**
 * Rules an item must satisfy to be served at all, whatever its score. Block sets come from the
 * marketer's rules, the request (`exclude`) and the user (purchases); allow-lists and bounds come
 * from the request's filters; country and age from the viewer.
 */
export interface HardFilters {
  readonly blockedCategories?: ReadonlySet<string>;
  readonly blockedItems?: ReadonlySet<string>;
  readonly excludeIds?: ReadonlySet<string>;
  readonly purchased?: ReadonlySet<string>;
  /** Allow-list of categories; an empty set means no restriction. */
  readonly categories?: ReadonlySet<string>;
  /** Allow-list of modalities; an empty set means no restriction. */
  readonly modalities?: ReadonlySet<string>;
  readonly priceMin?: number;
  readonly priceMax?: number;
  /** The viewer's ISO 3166-1 alpha-2 country (any case). */
  readonly country?: string;
  readonly viewerAge?: number;
}

const BLOCK_SETS = ['blockedCategories', 'blockedItems', 'excludeIds', 'purchased'] as const;

/**
 * Whether `item` may be served under `f`. Conservative where data is missing: an item restricted
 * to regions is rejected when the viewer's country is unknown, an age-restricted one when the
 * viewer's age is unknown, and an item without a price or modality fails a price or modality
 * filter. Unavailable and deleted items never pass.
 */
export function passesHardFilters(item: FilterableItem, f: HardFilters): boolean {
  if (item.available === false || item.deleted === true) return false;
  const id = item.item_id;
  if (f.blockedItems?.has(id) || f.excludeIds?.has(id) || f.purchased?.has(id)) return false;
  if (f.blockedCategories?.has(item.category)) return false;
  if (f.categories && f.categories.size > 0 && !f.categories.has(item.category)) return false;
  if (f.modalities && f.modalities.size > 0 && !(item.modality && f.modalities.has(item.modality))) {
    return false;
  }
  if (f.priceMin !== undefined && !(item.price !== undefined && item.price >= f.priceMin)) return false;
  if (f.priceMax !== undefined && !(item.price !== undefined && item.price <= f.priceMax)) return false;
  if (item.regions) {
    // An empty region list means "nowhere", the literal reading of "may be shown in".
    if (f.country === undefined || !item.regions.includes(f.country.toUpperCase())) return false;
  }
  if (item.min_age !== undefined && item.min_age > 0) {
    if (f.viewerAge === undefined || f.viewerAge < item.min_age) return false;
  }
  return true;
}

/** The items of `items` that pass `f`, in their original order. */
export function filterItems<T extends FilterableItem>(items: readonly T[], f: HardFilters): T[] {
  return items.filter((item) => passesHardFilters(item, f));
}

/**
 * Combines filters from several sources (surface rules, request, user). Block sets are unioned,
 * so no source can unblock what another blocked; allow-lists and scalars from later parts
 * override earlier ones.
 */
export function mergeFilters(...parts: readonly (HardFilters | undefined)[]): HardFilters {
  const out: { -readonly [K in keyof HardFilters]: HardFilters[K] } = {};
  for (const part of parts) {
    if (!part) continue;
    for (const key of BLOCK_SETS) {
      const add = part[key];
      if (!add) continue;
      const prev = out[key];
      out[key] = prev ? new Set([...prev, ...add]) : add;
    }
    if (part.categories !== undefined) out.categories = part.categories;
    if (part.modalities !== undefined) out.modalities = part.modalities;
    if (part.priceMin !== undefined) out.priceMin = part.priceMin;
    if (part.priceMax !== undefined) out.priceMax = part.priceMax;
    if (part.country !== undefined) out.country = part.country;
    if (part.viewerAge !== undefined) out.viewerAge = part.viewerAge;
  }
  return out;
}
