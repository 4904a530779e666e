import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ItemCatalog } from '../../shared/ports/item-catalog';
import { DynamoItemCatalog } from '../adapters/dynamodb-item-catalog';
import {
  DynamoTrendingReader,
  type ItemTrend,
  type TrendScope,
  type TrendWindow,
} from '../adapters/dynamodb-trending-reader';
import { computeLists, isListable, LIST_DEFAULTS, type ListOptions } from './compute';
import { segmentTastes } from './segments';
import { DynamoListSources, type ListSources } from './sources';

/** The trending reads the job makes (DynamoTrendingReader). */
export interface TrendSource {
  trendingItems(scope: TrendScope, window: TrendWindow, limit?: number): Promise<ItemTrend[]>;
}

export interface ListJobDeps {
  readonly sources: ListSources;
  readonly trends: TrendSource;
  readonly catalog: Pick<ItemCatalog, 'putList'>;
  /** The clock of `updated_at`. @default Date.now */
  readonly now?: () => number;
}

/** What one run did: lists written, listable items ranked, wall time. */
export interface ListJobReport {
  readonly lists: number;
  readonly items: number;
  readonly ms: number;
}

export type ListJobPhase = 'items' | 'users' | 'trending' | 'write';

export interface ListJobOptions extends ListOptions {
  /** Called as the job advances; `total` is known for the write phase only. */
  readonly onProgress?: (phase: ListJobPhase, done: number, total?: number) => void;
  /** Lists written at once. @default 8 */
  readonly writeConcurrency?: number;
}

/**
 * Recomputes every fallback list (global, category, country, segment popular) from the catalog,
 * the trending counts of the last `windowMinutes` and the users' segments, and overwrites them.
 * Idempotent: the same inputs give the same lists, and each write replaces the whole list, so a
 * rerun or an overlapping run leaves the same state (only `updated_at` moves).
 */
export async function refreshLists(deps: ListJobDeps, opts: ListJobOptions = {}): Promise<ListJobReport> {
  const t0 = performance.now();
  const progress = opts.onProgress ?? (() => {});
  const updatedAt = new Date((deps.now ?? Date.now)()).toISOString();
  const window = { minutes: opts.windowMinutes ?? LIST_DEFAULTS.windowMinutes };

  const [items, rows, trending] = await Promise.all([
    deps.sources.items((n) => progress('items', n)),
    deps.sources.userRows((n) => progress('users', n)),
    deps.trends.trendingItems('global', window, Number.POSITIVE_INFINITY).then((t) => {
      progress('trending', t.length);
      return t;
    }),
  ]);
  // An item counted under two categories (it moved) keeps the sum of both.
  const trends = new Map<string, number>();
  for (const t of trending) trends.set(t.item_id, (trends.get(t.item_id) ?? 0) + t.score);

  const lists = computeLists({ items, trends, segments: segmentTastes(rows) }, opts);
  const concurrency = Math.max(1, opts.writeConcurrency ?? 8);
  let written = 0;
  progress('write', 0, lists.length);
  for (let i = 0; i < lists.length; i += concurrency) {
    await Promise.all(
      lists
        .slice(i, i + concurrency)
        .map((l) =>
          deps.catalog
            .putList({ ...l, updated_at: updatedAt })
            .then(() => progress('write', ++written, lists.length)),
        ),
    );
  }
  return {
    lists: lists.length,
    items: items.filter(isListable).length,
    ms: Math.round(performance.now() - t0),
  };
}

/** The job's dependencies on DynamoDB under a stage prefix. */
export function dynamoListJobDeps(
  doc: DynamoDBDocumentClient,
  prefix: string,
  now: () => number = Date.now,
): ListJobDeps {
  return {
    sources: new DynamoListSources(doc, prefix),
    trends: new DynamoTrendingReader(doc, prefix, now),
    catalog: new DynamoItemCatalog(doc, prefix),
    now,
  };
}
