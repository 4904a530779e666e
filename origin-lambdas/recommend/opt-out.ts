import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { RecommendedItem } from '../../shared/schemas/recommendation';

/** Port: whether a subject opted out of personalization (the `prefs` row of the users table). */
export interface OptOutLookup {
  isOptedOut(subject: string): Promise<boolean>;
}

/** The model version reported for opted-out subjects: popularity order, nothing personal. */
export const OPTED_OUT_MODEL = 'opted-out-popular';

/**
 * The list an opted-out subject gets: popular items in popularity order, each explained only
 * as popular. Nothing from the subject's history (not even exclusions of recent items) is used.
 */
export function popularOnly(
  popular: readonly CatalogItem[],
  exclude: readonly string[],
  limit: number,
): RecommendedItem[] {
  const skip = new Set(exclude);
  const kept = popular.filter((i) => !skip.has(i.item_id));
  return (kept.length ? kept : popular).slice(0, limit).map((item, position) => ({
    item_id: item.item_id,
    title: item.title,
    category: item.category,
    score: Math.round(item.popularity * 1e6) / 1e6,
    position,
    sponsored: false,
    reasons: [{ code: 'popular', text: 'Popular right now' }],
  }));
}
