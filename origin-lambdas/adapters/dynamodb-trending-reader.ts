import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../shared/tables';
import { bucketOf } from '../../stream-handlers/common/time-bucket';
import { TRENDING } from '../../stream-handlers/trending/counts';
import { TtlCache } from '../common/ttl-cache';

/** Popularity and click-through features of one item over a window, for the ranker. */
export interface ItemTrend {
  readonly item_id: string;
  readonly category: string;
  /** Sum of positive interaction weights (views 0.5 ... purchases 4). */
  readonly score: number;
  readonly interactions: number;
  readonly impressions: number;
  readonly clicks: number;
  /** Smoothed CTR: (clicks + 1) / (impressions + 20), so a few impressions don't read as 100%. */
  readonly ctr: number;
}

export type TrendScope = 'global' | { readonly category: string };

/** A trailing window such as `{ minutes: 60 }`. */
export interface TrendWindow {
  readonly minutes: number;
}

const PREFIXES = { 's:': 'score', 'n:': 'interactions', 'm:': 'impressions', 'c:': 'clicks' } as const;
const ctrOf = (clicks: number, impressions: number) => (clicks + 1) / (impressions + 20);

export interface TrendingReaderOptions {
  /**
   * How long a scope's window rows are reused in this container. Counts land in 5-minute
   * buckets, so a few seconds of reuse changes no ranking noticeably, while a newcomer's global
   * trends would otherwise cost one Query per active category on every request. 0 reads every
   * time (the scheduled lists job, tests of the counters). @default 0
   */
  readonly cacheMs?: number;
}

/**
 * Reads the trending table the trending stream handler writes. A category's window is one Query
 * over its bucket rows; `global` first reads the global rows to learn which categories were active.
 */
export class DynamoTrendingReader {
  private readonly table: string;
  private readonly cache: TtlCache<Record<string, unknown>[]> | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly now: () => number = Date.now,
    opts: TrendingReaderOptions = {},
  ) {
    this.table = tableName(prefix, 'trending');
    this.cache = opts.cacheMs ? new TtlCache(opts.cacheMs, now) : undefined;
  }

  /** Items by trending score in `scope` over the trailing window, best first. */
  async trendingItems(scope: TrendScope, window: TrendWindow, limit = 50): Promise<ItemTrend[]> {
    const categories = scope === 'global' ? await this.activeCategories(window) : new Set([scope.category]);
    const all = await Promise.all([...categories].map((c) => this.categoryTrends(c, window)));
    return all
      .flat()
      .sort((a, b) => b.score - a.score || a.item_id.localeCompare(b.item_id))
      .slice(0, limit);
  }

  /** Features of the given candidates (the ranker knows their categories); absent items get zeros. */
  async itemStats(
    items: readonly { item_id: string; category: string }[],
    window: TrendWindow,
  ): Promise<Map<string, ItemTrend>> {
    const categories = new Set(items.map((i) => i.category));
    const found = new Map(
      (await Promise.all([...categories].map((c) => this.categoryTrends(c, window))))
        .flat()
        .map((t) => [t.item_id, t]),
    );
    const zero = (i: { item_id: string; category: string }): ItemTrend => ({
      ...i,
      score: 0,
      interactions: 0,
      impressions: 0,
      clicks: 0,
      ctr: ctrOf(0, 0),
    });
    return new Map(items.map((i) => [i.item_id, found.get(i.item_id) ?? zero(i)]));
  }

  private rows(scope: string, window: TrendWindow): Promise<Record<string, unknown>[]> {
    if (!this.cache) return this.queryRows(scope, window);
    return this.cache.get(`${scope}|${window.minutes}`, () => this.queryRows(scope, window));
  }

  private async queryRows(scope: string, window: TrendWindow): Promise<Record<string, unknown>[]> {
    const now = this.now();
    const from = bucketOf(now - window.minutes * 60_000 + 1, TRENDING.bucketMs);
    const rows: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#s = :s AND #b >= :from',
          ExpressionAttributeNames: { '#s': 'scope', '#b': 'bucket' },
          ExpressionAttributeValues: { ':s': scope, ':from': from },
          ExclusiveStartKey: start,
        }),
      );
      rows.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  private async activeCategories(window: TrendWindow): Promise<Set<string>> {
    const cats = new Set<string>();
    for (const row of await this.rows(TRENDING.globalScope, window))
      for (const attr of Object.keys(row)) if (attr.startsWith('k:')) cats.add(attr.slice(2));
    return cats;
  }

  private async categoryTrends(category: string, window: TrendWindow): Promise<ItemTrend[]> {
    const acc = new Map<string, Record<'score' | 'interactions' | 'impressions' | 'clicks', number>>();
    for (const row of await this.rows(TRENDING.categoryScope(category), window)) {
      for (const [attr, value] of Object.entries(row)) {
        const field = PREFIXES[attr.slice(0, 2) as keyof typeof PREFIXES];
        if (!field || typeof value !== 'number') continue;
        const id = attr.slice(2);
        const t = acc.get(id) ?? { score: 0, interactions: 0, impressions: 0, clicks: 0 };
        t[field] += value;
        acc.set(id, t);
      }
    }
    return [...acc].map(([item_id, t]) => ({
      item_id,
      category,
      ...t,
      ctr: ctrOf(t.clicks, t.impressions),
    }));
  }
}
