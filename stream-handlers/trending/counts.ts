import { interactionWeight } from '../../shared/embedding/fold-in';
import type { StreamEvent } from '../../shared/schemas/event';
import type { CounterWrite } from '../common/counter-store';
import { bucketOf, epochSeconds } from '../common/time-bucket';

/** Trending bucket layout, shared by the handler (writes) and the reader adapter. */
export const TRENDING = {
  /** Width of one time bucket. */
  bucketMs: 5 * 60_000,
  /** How long a bucket lives after it closes. */
  retentionMs: 48 * 3600_000,
  globalScope: 'global',
  categoryScope: (category: string) => `cat#${category}`,
  unknownCategory: 'unknown',
} as const;

/** Per-item attribute names inside a category bucket row. */
export const itemAttr = {
  score: (id: string) => `s:${id}`,
  interactions: (id: string) => `n:${id}`,
  impressions: (id: string) => `m:${id}`,
  clicks: (id: string) => `c:${id}`,
};

const CLICKS = new Set(['click', 'campaign_click']);

/**
 * The counter changes one event makes: the global bucket (totals per type and per category) and,
 * for item events, the item's category bucket (score, interactions, impressions, clicks per item).
 * Buckets follow the server's `received_at`, which a client cannot skew. Items live in their
 * category's row, so a trending or CTR read is one Query per category, and a batch writes a
 * handful of rows however many items it touches.
 */
export function trendingWrites(
  e: StreamEvent,
  categoryOf: (itemId: string) => string | undefined,
): CounterWrite[] {
  const at = Date.parse(e.received_at);
  const bucket = bucketOf(at, TRENDING.bucketMs);
  // Every write to a bucket row sets the same expiry: the bucket's end plus the retention.
  const set = { expires_at: epochSeconds(Date.parse(bucket) + TRENDING.bucketMs + TRENDING.retentionMs) };
  const category = e.item_id ? (categoryOf(e.item_id) ?? TRENDING.unknownCategory) : undefined;
  const global: Record<string, number> = { events: 1, [`t:${e.type}`]: 1 };
  if (category) global[`k:${category}`] = 1;
  const writes: CounterWrite[] = [{ key: { scope: TRENDING.globalScope, bucket }, add: global, set }];
  if (e.item_id && category) {
    const id = e.item_id;
    const add: Record<string, number> = { events: 1 };
    const w = interactionWeight(e.type, { rating: e.rating, dwellMs: e.dwell_ms });
    if (w > 0) {
      add[itemAttr.score(id)] = w;
      add[itemAttr.interactions(id)] = 1;
    }
    if (e.type === 'impression') add[itemAttr.impressions(id)] = 1;
    if (CLICKS.has(e.type)) add[itemAttr.clicks(id)] = 1;
    writes.push({ key: { scope: TRENDING.categoryScope(category), bucket }, add, set });
  }
  return writes;
}
