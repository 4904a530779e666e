import type {
  VectorHit,
  VectorIndex,
  VectorRecord,
  VectorSearchOptions,
} from '../../../shared/ports/vector-index';
import { nearestCentroid, probeOrder } from './centroids';
import { sphericalKMeans } from './kmeans';
import type { VectorMetric } from './metric';
import { type UsearchIndexOptions, UsearchVectorIndex } from './usearch-index';

export interface PartitionedIndexOptions extends UsearchIndexOptions {
  /**
   * Partitions (spherical k-means clusters) trained once the index holds `trainSize` vectors;
   * fixed from then on and saved with the index. @default 16
   */
  readonly partitions?: number;
  /**
   * Partitions a search probes, best centroids first; more trade speed for recall. Read at
   * search time, so a loaded index takes the caller's. @default 4
   */
  readonly nprobe?: number;
  /**
   * Vectors held in one graph, as the single-graph index did, before the partitions are trained
   * on them: below about 20,000 clustered vectors one graph already finds them (recall@100 0.995
   * at 20,000 items, docs/vector-search.md). @default 2048 x partitions
   */
  readonly trainSize?: number;
}

/** What the index is made of: one HNSW graph per unit centroid, or one graph and no centroids. */
export interface IndexParts {
  readonly centroids: readonly Float32Array[];
  readonly graphs: readonly UsearchVectorIndex[];
  /** Until trained: the held records, kept to train the centroids on. */
  readonly pending?: readonly VectorRecord[];
}

const byScore = (a: VectorHit, b: VectorHit) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * IVF over HNSW: the embedded index behind the VectorIndex port. Items are split by direction into
 * partitions (spherical k-means), each its own usearch HNSW graph; a search probes the `nprobe`
 * partitions whose centroids point closest to the query and merges their hits by score. One graph
 * over clustered embeddings lets a query that falls between clusters (a user's taste spanning two
 * categories) descend into one cluster and miss the other; probing both clusters' graphs finds
 * both halves (docs/vector-search.md).
 *
 * Until it holds `trainSize` vectors the index is one graph and keeps the records beside it; it
 * then trains the centroids on them and rebuilds into one graph per centroid. An upserted vector
 * goes to the partition of its nearest centroid, leaving the one it was in before.
 */
export class PartitionedVectorIndex implements VectorIndex {
  readonly dimensions: number;
  readonly metric: VectorMetric;
  readonly nprobe: number;
  private readonly graphOptions: UsearchIndexOptions;
  private readonly wanted: number;
  private readonly trainSize: number;
  private centroids: readonly Float32Array[] = [];
  private graphs: UsearchVectorIndex[] = [];
  private pending: Map<string, VectorRecord> | undefined;
  /** The partition of every held id. */
  private partitionOf = new Map<string, number>();
  /** Per partition, how many of its vectors carry each category (for filtered probes). */
  private categoryCounts: Map<string, number>[] = [];

  constructor(opts: PartitionedIndexOptions, parts?: IndexParts) {
    const { partitions = 16, nprobe = 4, trainSize, ...graph } = opts;
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new Error('partitions must be a positive integer');
    if (!Number.isInteger(nprobe) || nprobe < 1) throw new Error('nprobe must be a positive integer');
    this.dimensions = opts.dimensions;
    this.metric = opts.metric ?? 'cos';
    this.nprobe = nprobe;
    this.graphOptions = { ...graph, metric: this.metric };
    this.wanted = partitions;
    this.trainSize = trainSize ?? 2048 * partitions;
    this.adopt(parts ?? { centroids: [], graphs: [new UsearchVectorIndex(this.graphOptions)], pending: [] });
  }

  /** Whether the partitions exist yet (false while the index is one graph). */
  get trained(): boolean {
    return this.pending === undefined;
  }

  /** Vectors per partition, in centroid order (one entry until trained). */
  partitionSizes(): number[] {
    return this.graphs.map((g) => g.count);
  }

  /** The partition holding `id`; undefined when it is not held. */
  partitionOfId(id: string): number | undefined {
    return this.partitionOf.get(id);
  }

  /** What to save (see `partition-files.ts`). */
  parts(): IndexParts {
    return {
      centroids: this.centroids,
      graphs: this.graphs,
      ...(this.pending ? { pending: [...this.pending.values()] } : {}),
    };
  }

  // Writes and searches run without yielding (usearch's calls are synchronous), so a search never
  // sees a vector between two partitions or a training half done.
  async upsert(records: readonly VectorRecord[]): Promise<void> {
    for (const r of records)
      if (r.vector.length !== this.dimensions)
        throw new Error(`vector for ${r.id} has ${r.vector.length} dimensions, not ${this.dimensions}`);
    this.put(records);
  }

  private put(records: readonly VectorRecord[]) {
    // The last write of an id in a batch wins, as it would written one by one.
    const latest = new Map(records.map((r) => [r.id, r]));
    if (this.pending && this.pending.size + latest.size >= this.trainSize) {
      // Trained before this batch goes into the one graph: it would be rebuilt right after.
      const all = new Map([...this.pending, ...latest]);
      if (all.size >= this.trainSize && this.train([...all.values()])) return;
    }
    const groups = this.graphs.map((): VectorRecord[] => []);
    for (const r of latest.values()) {
      const to = this.centroids.length ? nearestCentroid(this.centroids, r.vector) : 0;
      const from = this.partitionOf.get(r.id);
      if (from !== undefined) {
        this.countCategory(from, this.graphs[from]?.categoryOf(r.id), -1);
        if (from !== to) this.graphs[from]?.removeNow([r.id]);
      }
      this.partitionOf.set(r.id, to);
      this.countCategory(to, r.category, 1);
      groups[to]?.push(r);
      this.pending?.set(r.id, r);
    }
    for (const [p, group] of groups.entries()) if (group.length) this.graphs[p]?.upsertNow(group);
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const p = this.partitionOf.get(id);
      if (p === undefined) continue;
      this.countCategory(p, this.graphs[p]?.categoryOf(id), -1);
      this.partitionOf.delete(id);
      this.pending?.delete(id);
      this.graphs[p]?.removeNow([id]);
    }
  }

  search(
    query: Float32Array | readonly number[],
    k: number,
    options: VectorSearchOptions = {},
  ): Promise<VectorHit[]> {
    return this.searchProbing(query, k, this.nprobe, options);
  }

  /**
   * `search` with another probe count. Partitions that cannot match the category filter are
   * skipped, and probing goes on past `nprobe` until k hits are found or every partition has
   * been seen, so a selective filter still yields k hits when k exist.
   */
  async searchProbing(
    query: Float32Array | readonly number[],
    k: number,
    nprobe: number,
    options: VectorSearchOptions = {},
  ): Promise<VectorHit[]> {
    if (k <= 0 || this.partitionOf.size === 0) return [];
    const q = query instanceof Float32Array ? query : Float32Array.from(query);
    const order = this.centroids.length ? probeOrder(this.centroids, q) : [0];
    const hits: VectorHit[] = [];
    let probed = 0;
    for (const p of order) {
      if (probed >= nprobe && hits.length >= k) break;
      if (!this.mayMatch(p, options.categories)) continue;
      hits.push(...(this.graphs[p]?.searchNow(q, k, options) ?? []));
      probed++;
    }
    return hits.sort(byScore).slice(0, k);
  }

  async size(): Promise<number> {
    return this.partitionOf.size;
  }

  private mayMatch(p: number, categories: ReadonlySet<string> | undefined): boolean {
    if (!this.graphs[p]?.count) return false;
    if (!categories) return true;
    const counts = this.categoryCounts[p];
    for (const c of categories) if (counts?.get(c)) return true;
    return false;
  }

  private countCategory(p: number, category: string | undefined, delta: number) {
    const counts = this.categoryCounts[p];
    if (category === undefined || !counts) return;
    const n = (counts.get(category) ?? 0) + delta;
    if (n > 0) counts.set(category, n);
    else counts.delete(category);
  }

  /**
   * Clusters `records` (everything the index is to hold) and rebuilds the index from them, one
   * graph per cluster. False when there is nothing to cluster: only zero vectors, no direction.
   */
  private train(records: readonly VectorRecord[]): boolean {
    const centroids = sphericalKMeans(
      records.map((r) => r.vector),
      this.dimensions,
      { k: this.wanted },
    );
    if (!centroids.length) return false;
    this.adopt({ centroids, graphs: centroids.map(() => new UsearchVectorIndex(this.graphOptions)) });
    this.put(records);
    return true;
  }

  private adopt(parts: IndexParts) {
    const untrained = parts.centroids.length === 0;
    if (untrained ? parts.graphs.length !== 1 : parts.centroids.length !== parts.graphs.length)
      throw new Error('a partitioned index needs one graph per centroid, or one graph and no centroids');
    this.centroids = parts.centroids;
    this.graphs = [...parts.graphs];
    this.pending = untrained ? new Map((parts.pending ?? []).map((r) => [r.id, r])) : undefined;
    this.partitionOf = new Map();
    this.categoryCounts = this.graphs.map(() => new Map());
    for (const [p, graph] of this.graphs.entries())
      for (const { id, category } of graph.entries()) {
        this.partitionOf.set(id, p);
        this.countCategory(p, category, 1);
      }
  }
}
