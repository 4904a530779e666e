import { fallbackItems } from '../../shared/fallback-items';
import type { RecommendedItem } from '../../shared/schemas/recommendation';

/** Longest list asked for (the query schema caps `limit` at 100). */
const ALL = 100;

/**
 * The bottom of the edge ladder (level 5): the evergreen list from shared/, bundled into the
 * Worker so an answer never needs KV or the origin. The same list backs the origin's ladder.
 */
export function compiledFallbackItems(): RecommendedItem[] {
  return fallbackItems(ALL);
}
