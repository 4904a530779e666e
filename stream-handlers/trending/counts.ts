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

type Key = Readonly<Record<string, string>>;

/** The rows of the bucket holding one `received_at`, and the expiry every write to them sets. */
interface BucketRows {
  readonly receivedAt: string;
  readonly global: Key;
  readonly set: Readonly<Record<string, number>>;
  readonly bucket: string;
  readonly categories: Map<string, { readonly key: Key; readonly attr: string }>;
}

// Events of one ingest request share `received_at`, so consecutive events mostly land in the same
// bucket: its rows and expiry are worked out once, and their frozen objects shared by the writes.
let last: BucketRows | undefined;

function rowsAt(receivedAt: string): BucketRows {
  if (last?.receivedAt === receivedAt) return last;
  const bucket = bucketOf(Date.parse(receivedAt), TRENDING.bucketMs);
  // Every write to a bucket row sets the same expiry: the bucket's end plus the retention.
  const expires = epochSeconds(Date.parse(bucket) + TRENDING.bucketMs + TRENDING.retentionMs);
  last = {
    receivedAt,
    bucket,
    global: Object.freeze({ scope: TRENDING.globalScope, bucket }),
    set: Object.freeze({ expires_at: expires }),
    categories: new Map(),
  };
  return last;
}

function categoryRow(rows: BucketRows, category: string) {
  let row = rows.categories.get(category);
  if (!row) {
    row = {
      key: Object.freeze({ scope: TRENDING.categoryScope(category), bucket: rows.bucket }),
      attr: `k:${category}`,
    };
    rows.categories.set(category, row);
  }
  return row;
}

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
  const rows = rowsAt(e.received_at);
  const category = e.item_id ? (categoryOf(e.item_id) ?? TRENDING.unknownCategory) : undefined;
  const row = category ? categoryRow(rows, category) : undefined;
  const global: Record<string, number> = { events: 1, [`t:${e.type}`]: 1 };
  if (row) global[row.attr] = 1;
  const writes: CounterWrite[] = [{ key: rows.global, add: global, set: rows.set }];
  if (e.item_id && row) {
    const id = e.item_id;
    const add: Record<string, number> = { events: 1 };
    const w = interactionWeight(e.type, { rating: e.rating, dwellMs: e.dwell_ms });
    if (w > 0) {
      add[itemAttr.score(id)] = w;
      add[itemAttr.interactions(id)] = 1;
    }
    if (e.type === 'impression') add[itemAttr.impressions(id)] = 1;
    if (CLICKS.has(e.type)) add[itemAttr.clicks(id)] = 1;
    writes.push({ key: row.key, add, set: rows.set });
  }
  return writes;
}
