import type { Reason, RecommendedItem } from '../../../shared/schemas/recommendation';
import type { EdgeCache } from '../cache/edge-cache';
import { KV_KEYS } from '../cache/records';
import { compiledFallbackItems } from '../fallback-items';
import { presentItems } from './present';

/** A rung of the edge's degradation ladder (levels as in shared/schemas/recommendation.ts). */
export interface Rung {
  readonly level: 3 | 4 | 5;
  readonly items: RecommendedItem[];
  readonly modelVersion: string;
  /** How many items the rung's list held before trimming. */
  readonly candidates: number;
}

const POPULAR_HERE: Reason = { code: 'popular', text: 'Popular in your region' };
const POPULAR: Reason = { code: 'popular', text: 'Popular right now' };
const FALLBACK: Reason = { code: 'fallback', text: 'Popular with everyone' };

/**
 * Walks the rungs the edge can serve without the origin: the country's list (3), the global
 * popular list (4), the compiled list (5). The compiled rung ignores `exclude` when honouring it
 * would leave nothing, because an empty feed is worse than a repeated item.
 */
export async function fallbackLadder(
  cache: EdgeCache,
  options: { country: string | undefined; limit: number; exclude: readonly string[] },
): Promise<Rung> {
  const { limit, exclude } = options;
  const segment = await cache.getList(KV_KEYS.segment(options.country));
  if (segment) {
    const items = presentItems(segment.items, { limit, exclude, reasons: [POPULAR_HERE] });
    if (items.length > 0)
      return { level: 3, items, modelVersion: 'segment-list', candidates: segment.items.length };
  }
  const popular = await cache.getList(KV_KEYS.popular);
  if (popular) {
    const items = presentItems(popular.items, { limit, exclude, reasons: [POPULAR] });
    if (items.length > 0)
      return { level: 4, items, modelVersion: 'popular-list', candidates: popular.items.length };
  }
  const compiled = compiledFallbackItems();
  const items = presentItems(compiled, { limit, exclude, reasons: [FALLBACK] });
  return {
    level: 5,
    items: items.length > 0 ? items : presentItems(compiled, { limit, exclude: [], reasons: [FALLBACK] }),
    modelVersion: 'edge-compiled',
    candidates: compiled.length,
  };
}
