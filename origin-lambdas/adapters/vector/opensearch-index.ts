import type { Client } from '@opensearch-project/opensearch';
import type {
  VectorHit,
  VectorIndex,
  VectorRecord,
  VectorSearchOptions,
} from '../../../shared/ports/vector-index';
import type { VectorMetric } from './metric';
import { itemsIndexBody, type KnnEngine } from './opensearch-mapping';
import {
  aliasSwapActions,
  BulkIndexError,
  type BulkLine,
  type BulkResponseBody,
  bulkDeleteLines,
  bulkFailures,
  bulkIndexLines,
  indexVersion,
  knnSearchBody,
  parseKnnHits,
  type SearchResponseBody,
  versionedIndexName,
} from './opensearch-queries';

export interface OpenSearchVectorIndexOptions {
  /** An `@opensearch-project/opensearch` client (see `openSearchClient`). */
  readonly client: Client;
  /** The alias every read and write goes through; concrete indexes are `<alias>-v<n>`. */
  readonly alias: string;
  readonly dimensions: number;
  /** Engine of indexes this adapter creates (`ensureIndex`, `rebuild`). @default 'lucene' */
  readonly engine?: KnnEngine;
  /**
   * Space of indexes this adapter creates, and how hit scores are read back: `ip` gives the inner
   * product, `cos` the cosine. Must match the mapping of the index behind the alias. @default 'ip'
   */
  readonly metric?: VectorMetric;
  /** Wait until writes are searchable before `upsert`/`remove` return (`refresh=wait_for`). @default false */
  readonly refresh?: boolean;
  /** Records per `_bulk` request. @default 500 */
  readonly bulkChunkSize?: number;
}

export interface RebuildProgress {
  /** The new index being loaded. */
  readonly index: string;
  readonly indexed: number;
  readonly total: number;
}

export interface RebuildOptions {
  /** Called after each `_bulk` chunk lands in the new index; a returned promise is awaited. */
  readonly onProgress?: (progress: RebuildProgress) => void | Promise<void>;
}

export interface RebuildResult {
  /** The index the alias now points to. */
  readonly index: string;
  /** The indexes the alias pointed to before, now deleted. */
  readonly previous: readonly string[];
}

/**
 * The OpenSearch k-NN adapter of the VectorIndex port (production). Reads and writes go through
 * the alias, so a `rebuild` elsewhere moves every client at once; writes set `require_alias` so a
 * missing alias fails instead of auto-creating an index without the k-NN mapping.
 */
export class OpenSearchVectorIndex implements VectorIndex {
  readonly dimensions: number;
  private readonly client: Client;
  private readonly alias: string;
  private readonly engine: KnnEngine;
  readonly metric: VectorMetric;
  private readonly refresh: boolean;
  private readonly chunkSize: number;
  private ready?: Promise<string>;

  constructor(opts: OpenSearchVectorIndexOptions) {
    this.client = opts.client;
    this.alias = opts.alias;
    this.dimensions = opts.dimensions;
    this.engine = opts.engine ?? 'lucene';
    this.metric = opts.metric ?? 'ip';
    this.refresh = opts.refresh ?? false;
    this.chunkSize = opts.bulkChunkSize ?? 500;
  }

  /**
   * Makes sure the alias exists: when it does not, creates `<alias>-v1` with the k-NN mapping and
   * points the alias at it. Idempotent and safe to race. Returns the index behind the alias.
   */
  async ensureIndex(): Promise<string> {
    const current = await this.aliasIndices();
    if (current[0]) return current[0];
    const index = versionedIndexName(this.alias, 1);
    try {
      await this.createIndex(index);
    } catch (err) {
      // Another writer created it first (or a deploy did); pointing the alias below is idempotent.
      if (errorType(err) !== 'resource_already_exists_exception') throw err;
    }
    await this.client.indices.updateAliases({
      body: { actions: [{ add: { index, alias: this.alias } }] },
    });
    return index;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    this.checkDimensions(records);
    if (!records.length) return;
    await this.whenReady();
    for (let i = 0; i < records.length; i += this.chunkSize) {
      await this.bulk(bulkIndexLines(this.alias, records.slice(i, i + this.chunkSize)), {
        requireAlias: true,
      });
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.whenReady();
    for (let i = 0; i < ids.length; i += this.chunkSize) {
      await this.bulk(bulkDeleteLines(this.alias, ids.slice(i, i + this.chunkSize)), {
        requireAlias: true,
      });
    }
  }

  async search(
    query: Float32Array | readonly number[],
    k: number,
    options: VectorSearchOptions = {},
  ): Promise<VectorHit[]> {
    if (k <= 0 || options.categories?.size === 0) return [];
    if (query.length !== this.dimensions)
      throw new Error(`query has ${query.length} dimensions, not ${this.dimensions}`);
    const res = await this.client.search({ index: this.alias, body: knnSearchBody(query, k, options) });
    return parseKnnHits(res.body as unknown as SearchResponseBody, this.metric);
  }

  async size(): Promise<number> {
    const res = await this.client.count({ index: this.alias });
    return res.body.count;
  }

  /**
   * Zero-downtime rebuild: loads `records` into a new `<alias>-v<n+1>` while readers keep using the
   * old index, refreshes it, moves the alias in one `_aliases` call, then deletes the old index.
   * On failure before the swap the new index is deleted and the alias is untouched.
   *
   * Writes that reach the old index during the load are not carried over: rebuild from the
   * source of truth and replay changes made meanwhile (see docs/vector-search.md).
   */
  async rebuild(records: readonly VectorRecord[], opts: RebuildOptions = {}): Promise<RebuildResult> {
    this.checkDimensions(records);
    const previous = await this.aliasIndices();
    const version = Math.max(0, ...previous.map((i) => indexVersion(this.alias, i))) + 1;
    const index = versionedIndexName(this.alias, version);
    await this.createIndex(index);
    try {
      for (let i = 0; i < records.length; i += this.chunkSize) {
        const chunk = records.slice(i, i + this.chunkSize);
        await this.bulk(bulkIndexLines(index, chunk), { refresh: false });
        await opts.onProgress?.({ index, indexed: i + chunk.length, total: records.length });
      }
      await this.client.indices.refresh({ index });
      await this.client.indices.updateAliases({
        body: { actions: aliasSwapActions(this.alias, previous, index) },
      });
    } catch (err) {
      await this.client.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
      throw err;
    }
    for (const old of previous) await this.client.indices.delete({ index: old }, { ignore: [404] });
    this.ready = Promise.resolve(index);
    return { index, previous };
  }

  /** The concrete indexes behind the alias; none when the alias does not exist. */
  async aliasIndices(): Promise<string[]> {
    const res = await this.client.indices.getAlias({ name: this.alias }, { ignore: [404] });
    return res.statusCode === 404 ? [] : Object.keys(res.body).sort();
  }

  private whenReady(): Promise<string> {
    this.ready ??= this.ensureIndex().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async createIndex(index: string): Promise<void> {
    await this.client.indices.create({
      index,
      body: itemsIndexBody({ dimensions: this.dimensions, engine: this.engine, metric: this.metric }),
    });
  }

  private async bulk(lines: BulkLine[], opts: { requireAlias?: boolean; refresh?: boolean }): Promise<void> {
    const refresh = opts.refresh ?? this.refresh;
    const res = await this.client.bulk({
      body: lines,
      ...(refresh ? { refresh: 'wait_for' as const } : {}),
      ...(opts.requireAlias ? { require_alias: true } : {}),
    });
    const failures = bulkFailures(res.body as unknown as BulkResponseBody);
    if (failures.length) throw new BulkIndexError(failures);
  }

  private checkDimensions(records: readonly VectorRecord[]): void {
    for (const r of records) {
      if (r.vector.length !== this.dimensions)
        throw new Error(`vector for ${r.id} has ${r.vector.length} dimensions, not ${this.dimensions}`);
    }
  }
}

/** The OpenSearch error type of a client `ResponseError` (`resource_already_exists_exception`, ...). */
function errorType(err: unknown): string | undefined {
  const body = (err as { meta?: { body?: { error?: { type?: string } } } }).meta?.body;
  return body?.error?.type;
}
