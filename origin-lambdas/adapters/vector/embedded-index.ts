import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  VectorHit,
  VectorIndex,
  VectorRecord,
  VectorSearchOptions,
} from '../../../shared/ports/vector-index';
import { scanItemVectors } from './item-vectors';
import { type VectorMetric, VectorMetricMismatchError } from './metric';
import { loadPartitionedIndex, savePartitionedIndex } from './partition-files';
import { PartitionedVectorIndex } from './partitioned-index';

export interface EmbeddedIndexOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly prefix: string;
  readonly dimensions: number;
  /** Where the index is persisted; loaded from here when present, saved here after a build. */
  readonly dir?: string;
  /** Similarity the index ranks by; a saved index of another metric is rebuilt. @default 'cos' */
  readonly metric?: VectorMetric;
  /** Partitions of an index built here; a loaded one keeps its own. @default 16 */
  readonly partitions?: number;
  /** Partitions a search probes. @default 4 */
  readonly nprobe?: number;
  /** Told when a saved index is refused and rebuilt. @default console.warn */
  readonly warn?: (message: string) => void;
}

/**
 * Loads the embedded index (partitioned HNSW, see PartitionedVectorIndex) from `dir`, or builds it
 * from the items table (one paginated scan, available items only) and persists it there. Deleted
 * or unavailable items are left out. A saved index built with another metric is refused and
 * rebuilt (its graphs order neighbours by the wrong similarity), then overwritten; so is a
 * single-graph index saved before partitions.
 */
export async function loadEmbeddedIndex(opts: EmbeddedIndexOptions): Promise<PartitionedVectorIndex> {
  const settings = {
    dimensions: opts.dimensions,
    metric: opts.metric ?? 'cos',
    ...(opts.partitions !== undefined ? { partitions: opts.partitions } : {}),
    ...(opts.nprobe !== undefined ? { nprobe: opts.nprobe } : {}),
  } as const;
  const warn = opts.warn ?? console.warn;
  if (opts.dir) {
    try {
      const saved = await loadPartitionedIndex(opts.dir, settings);
      if (saved) return saved;
      if (existsSync(join(opts.dir, 'ids.json')))
        warn(
          `vector index in ${opts.dir} is a single graph, not partitioned; rebuilding from the items table`,
        );
    } catch (err) {
      if (!(err instanceof VectorMetricMismatchError)) throw err;
      warn(`${err.message}; rebuilding from the items table`);
    }
  }
  const index = new PartitionedVectorIndex(settings);
  for await (const page of scanItemVectors(opts.doc, opts.prefix, opts.dimensions))
    await index.upsert(page.records);
  if (opts.dir && (await index.size()) > 0) savePartitionedIndex(index, opts.dir);
  return index;
}

/**
 * A VectorIndex whose backing index is still loading: calls wait for it, so a container can
 * start answering health checks while the index builds. A failed load is retried on next use.
 */
export class LazyVectorIndex implements VectorIndex {
  private pending: Promise<VectorIndex> | undefined;

  constructor(
    readonly dimensions: number,
    private readonly load: () => Promise<VectorIndex>,
  ) {}

  private index(): Promise<VectorIndex> {
    this.pending ??= this.load().catch((err) => {
      this.pending = undefined;
      throw err;
    });
    return this.pending;
  }

  async upsert(records: readonly VectorRecord[]) {
    await (await this.index()).upsert(records);
  }
  async remove(ids: readonly string[]) {
    await (await this.index()).remove(ids);
  }
  async search(
    query: Float32Array | readonly number[],
    k: number,
    options?: VectorSearchOptions,
  ): Promise<VectorHit[]> {
    return (await this.index()).search(query, k, options);
  }
  async size() {
    return (await this.index()).size();
  }
}
