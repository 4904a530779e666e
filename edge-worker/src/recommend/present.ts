import type { Reason, RecommendedItem } from '../../../shared/schemas/recommendation';

/** How a list is cut for one request. */
export interface PresentOptions {
  readonly limit: number;
  /** Item ids the client asked to leave out. */
  readonly exclude: readonly string[];
  /** Replaces every item's reasons (fallback lists explain themselves by their rung). */
  readonly reasons?: readonly Reason[];
}

/**
 * Drops excluded items, trims to `limit` and renumbers `position` from 0, so a cached or
 * precomputed list reads like a fresh answer. May return an empty list; callers decide.
 */
export function presentItems(items: readonly RecommendedItem[], options: PresentOptions): RecommendedItem[] {
  const excluded = new Set(options.exclude);
  return items
    .filter((i) => !excluded.has(i.item_id))
    .slice(0, options.limit)
    .map((item, position) => ({
      ...item,
      position,
      ...(options.reasons ? { reasons: [...options.reasons] } : {}),
    }));
}
