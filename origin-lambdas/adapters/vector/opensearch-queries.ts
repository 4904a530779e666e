import type { VectorHit, VectorRecord, VectorSearchOptions } from '../../../shared/ports/vector-index';
import type { VectorMetric } from './metric';
import { EMBEDDING_FIELD } from './opensearch-mapping';

/**
 * Request bodies and response parsers of the OpenSearch REST calls `OpenSearchVectorIndex` makes,
 * kept pure so the fixture tests can pin them to the documented API.
 */

/** One `_bulk` action line followed, for `index`, by its document line. */
export type BulkLine = Record<string, unknown>;

/** `POST /_bulk` lines that index (create or replace) each record in `index`. */
export function bulkIndexLines(index: string, records: readonly VectorRecord[]): BulkLine[] {
  return records.flatMap((r) => [
    { index: { _index: index, _id: r.id } },
    {
      item_id: r.id,
      ...(r.category ? { category: r.category } : {}),
      [EMBEDDING_FIELD]: Array.from(r.vector),
    },
  ]);
}

/** `POST /_bulk` lines that delete each id from `index`. */
export function bulkDeleteLines(index: string, ids: readonly string[]): BulkLine[] {
  return ids.map((id) => ({ delete: { _index: index, _id: id } }));
}

/** The part of a `_bulk` response item this adapter reads. */
interface BulkItemResult {
  readonly _id?: string;
  readonly status: number;
  readonly error?: { readonly type?: string; readonly reason?: string };
}

/** The part of a `_bulk` response this adapter reads. */
export interface BulkResponseBody {
  readonly errors: boolean;
  readonly items: readonly Record<string, BulkItemResult>[];
}

export interface BulkFailure {
  readonly id: string;
  readonly status: number;
  readonly type: string;
  readonly reason: string;
}

/**
 * The failed items of a `_bulk` response. A `_bulk` call answers 200 even when items fail, so the
 * per-item `error` is the only signal; a delete of a missing id (`404`, `not_found`, no `error`) is
 * not a failure.
 */
export function bulkFailures(body: BulkResponseBody): BulkFailure[] {
  if (!body.errors) return [];
  const failures: BulkFailure[] = [];
  for (const item of body.items) {
    const result = Object.values(item)[0];
    if (!result?.error) continue;
    failures.push({
      id: result._id ?? '',
      status: result.status,
      type: result.error.type ?? 'unknown',
      reason: result.error.reason ?? '',
    });
  }
  return failures;
}

/** Thrown when items of a `_bulk` request fail; names every failing id. */
export class BulkIndexError extends Error {
  constructor(readonly failures: readonly BulkFailure[]) {
    const first = failures[0];
    super(
      `bulk request failed for ${failures.length} item(s): ${failures.map((f) => f.id).join(', ')}` +
        (first ? ` (first: ${first.status} ${first.type}: ${first.reason})` : ''),
    );
    this.name = 'BulkIndexError';
  }
}

/**
 * Body of `POST /<alias>/_search`: an approximate k-NN query whose filter runs inside the graph
 * walk (efficient filtering, Lucene and Faiss HNSW), so a selective filter still yields k hits.
 */
export function knnSearchBody(
  query: Float32Array | readonly number[],
  k: number,
  options: VectorSearchOptions = {},
): Record<string, unknown> {
  const filter: Record<string, unknown>[] = [];
  const mustNot: Record<string, unknown>[] = [];
  if (options.categories) filter.push({ terms: { category: [...options.categories].sort() } });
  if (options.excludeIds?.size) mustNot.push({ ids: { values: [...options.excludeIds].sort() } });
  const bool = {
    ...(filter.length ? { filter } : {}),
    ...(mustNot.length ? { must_not: mustNot } : {}),
  };
  return {
    size: k,
    // Ids are the document ids; the stored vectors need not travel back.
    _source: false,
    query: {
      knn: {
        [EMBEDDING_FIELD]: {
          vector: Array.from(query),
          k,
          ...(filter.length || mustNot.length ? { filter: { bool } } : {}),
        },
      },
    },
  };
}

/** The part of a `_search` response this adapter reads. */
export interface SearchResponseBody {
  readonly _shards: {
    readonly total: number;
    readonly successful: number;
    readonly failed: number;
    readonly failures?: readonly { readonly reason?: { readonly type?: string; readonly reason?: string } }[];
  };
  readonly hits: {
    readonly total?: { readonly value: number; readonly relation: string };
    readonly hits: readonly { readonly _id: string; readonly _score: number | null }[];
  };
}

/**
 * Cosine similarity from a `cosinesimil` k-NN score. OpenSearch scores it as `(2 - d) / 2` with
 * `d = 1 - cos`, i.e. `(1 + cos) / 2` (Lucene always; Faiss from 2.19, the domain's version).
 */
export function cosineFromScore(score: number): number {
  return 2 * score - 1;
}

/**
 * Inner product from an `innerproduct` k-NN score. OpenSearch scores `dot + 1` when `dot >= 0` and
 * `1 / (1 - dot)` below, so scores stay positive; this inverts both branches.
 */
export function innerProductFromScore(score: number): number {
  return score >= 1 ? score - 1 : 1 - 1 / score;
}

/**
 * The hits of a k-NN `_search` response as port hits, their scores mapped back to the metric's
 * similarity. Any failed shard fails the call: a partial answer would silently drop neighbours,
 * and callers have a fallback for a failed search.
 */
export function parseKnnHits(body: SearchResponseBody, metric: VectorMetric = 'cos'): VectorHit[] {
  if (body._shards.failed > 0) {
    const reason = body._shards.failures?.[0]?.reason;
    throw new Error(
      `k-NN search failed on ${body._shards.failed} of ${body._shards.total} shards` +
        (reason ? `: ${reason.type}: ${reason.reason}` : ''),
    );
  }
  const similarity = metric === 'ip' ? innerProductFromScore : cosineFromScore;
  return body.hits.hits.map((h) => ({ id: h._id, score: similarity(h._score ?? 0) }));
}

/** `<alias>-v<n>`. */
export function versionedIndexName(alias: string, version: number): string {
  return `${alias}-v${version}`;
}

/** The version of `<alias>-v<n>`, or 0 for any other name. */
export function indexVersion(alias: string, index: string): number {
  const m = index.startsWith(`${alias}-v`) ? /^(\d+)$/.exec(index.slice(alias.length + 2)) : null;
  return m ? Number(m[1]) : 0;
}

/**
 * `POST /_aliases` actions that move `alias` from `from` to `to` in one cluster-state update, so
 * readers never see no index or two.
 */
export function aliasSwapActions(
  alias: string,
  from: readonly string[],
  to: string,
): Record<string, unknown>[] {
  return [...from.map((index) => ({ remove: { index, alias } })), { add: { index: to, alias } }];
}
