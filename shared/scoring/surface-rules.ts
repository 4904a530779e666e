import type { SURFACES } from '../schemas/recommendation';
import type { HardFilters } from './filters';

export type Surface = (typeof SURFACES)[number];

/** A pinned (editorial) item and the 0-based position it must occupy. */
export interface PinnedItem {
  readonly item_id: string;
  readonly position: number;
}

/** The re-ranking rules the scoring core consumes for one surface. */
export interface SurfaceRules {
  /** At most this many items of one category in the first `window` positions (cap mode). */
  readonly maxPerCategory: number;
  readonly window: number;
  /** Multiplicative freshness boost: score · (1 + boost · freshness); 0 = none. */
  readonly freshnessBoost: number;
  /** Used where freshness is computed (the origin); carried so both ends agree. */
  readonly freshnessHalfLifeDays: number;
  /** 0-based positions reserved for sponsored items, ascending and distinct. */
  readonly sponsoredPositions: readonly number[];
  /** Editorial items at fixed positions, distinct positions and ids. */
  readonly pinned: readonly PinnedItem[];
  /** Share of the list given to Thompson-sampled exploration, in [0, 1]. */
  readonly explorationShare: number;
  readonly diversity: 'cap' | 'mmr';
  /** MMR relevance weight in [0, 1]: 1 is pure relevance, 0 pure novelty. */
  readonly mmrLambda: number;
}

/** The marketer's stored rule set (origin-lambdas/admin/rules/schemas.ts), as plain data. */
export interface StoredSurfaceRules {
  readonly max_items_per_category?: number;
  readonly sponsored_positions?: readonly number[];
  readonly freshness_boost?: number;
  readonly freshness_half_life_days?: number;
  readonly pinned_items?: readonly PinnedItem[];
  readonly blocked_categories?: readonly string[];
  readonly blocked_items?: readonly string[];
}

const BASE: SurfaceRules = {
  maxPerCategory: 3,
  window: 10,
  freshnessBoost: 0,
  freshnessHalfLifeDays: 7,
  sponsoredPositions: [],
  pinned: [],
  explorationShare: 0.1,
  diversity: 'cap',
  mmrLambda: 0.7,
};

/**
 * Defaults per surface, used where the marketer has stored nothing. The item page tolerates more
 * of one category (similar items), the cart wants complements, search favours relevance with
 * MMR, and one-shot channels (email, notification) explore little or not at all.
 */
export const DEFAULT_SURFACE_RULES: Readonly<Record<Surface, SurfaceRules>> = {
  home: { ...BASE, sponsoredPositions: [2] },
  item: { ...BASE, maxPerCategory: 5, sponsoredPositions: [4] },
  cart: { ...BASE, maxPerCategory: 2, window: 8, explorationShare: 0.05 },
  search: { ...BASE, maxPerCategory: 10, sponsoredPositions: [1], diversity: 'mmr', mmrLambda: 0.8 },
  email: { ...BASE, maxPerCategory: 2, window: 6, explorationShare: 0.05 },
  notification: { ...BASE, maxPerCategory: 1, window: 3, explorationShare: 0 },
};

const isPosition = (p: number): boolean => Number.isInteger(p) && p >= 0;

/**
 * The effective rules for `surface`: the marketer's stored fields over the surface defaults.
 * Positions are cleaned up (non-integers dropped, duplicates removed, the first pin at a position
 * wins) so the core never has to second-guess its input.
 */
export function surfaceRulesFrom(stored: StoredSurfaceRules | undefined, surface: Surface): SurfaceRules {
  const d = DEFAULT_SURFACE_RULES[surface];
  if (!stored) return d;
  const positions = stored.sponsored_positions ?? d.sponsoredPositions;
  const seenPos = new Set<number>();
  const seenIds = new Set<string>();
  const pinned: PinnedItem[] = [];
  for (const p of stored.pinned_items ?? d.pinned) {
    if (!isPosition(p.position) || seenPos.has(p.position) || seenIds.has(p.item_id)) continue;
    seenPos.add(p.position);
    seenIds.add(p.item_id);
    pinned.push({ item_id: p.item_id, position: p.position });
  }
  return {
    ...d,
    maxPerCategory: stored.max_items_per_category ?? d.maxPerCategory,
    freshnessBoost: stored.freshness_boost ?? d.freshnessBoost,
    freshnessHalfLifeDays: stored.freshness_half_life_days ?? d.freshnessHalfLifeDays,
    sponsoredPositions: [...new Set(positions.filter(isPosition))].sort((a, b) => a - b),
    pinned,
  };
}

/** The block lists of a stored rule set, as hard filters (merge with `mergeFilters`). */
export function hardFiltersFromRules(stored: StoredSurfaceRules | undefined): HardFilters {
  return {
    blockedCategories: new Set(stored?.blocked_categories ?? []),
    blockedItems: new Set(stored?.blocked_items ?? []),
  };
}
