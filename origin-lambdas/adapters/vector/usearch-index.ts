import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type {
  VectorHit,
  VectorIndex,
  VectorRecord,
  VectorSearchOptions,
} from '../../../shared/ports/vector-index';
import { passesFilter } from './filter';
import { type VectorMetric, VectorMetricMismatchError } from './metric';

export interface UsearchIndexOptions {
  readonly dimensions: number;
  /** HNSW graph degree; 32 keeps recall on clustered embeddings (docs/benchmarks.md). @default 32 */
  readonly connectivity?: number;
  /** Candidate list size while building. @default 256 */
  readonly expansionAdd?: number;
  /** Candidate list size while searching; higher trades speed for recall. @default 256 */
  readonly expansionSearch?: number;
  /**
   * `ip` ranks by inner product (hit score = the dot product), `cos` by cosine (score = cosine).
   * Saved with the index; loading with another metric is refused. @default 'cos'
   */
  readonly metric?: VectorMetric;
}

/**
 * The embedded HNSW index (usearch), the local default behind the VectorIndex port. usearch
 * keys are integers, so string ids map to sequential keys; filters are applied by
 * over-fetching and widening until k hits pass or the whole index has been seen.
 */
export class UsearchVectorIndex implements VectorIndex {
  readonly dimensions: number;
  readonly metric: VectorMetric;
  private readonly index: Index;
  private readonly keyOf = new Map<string, bigint>();
  private readonly idOf = new Map<bigint, { id: string; category?: string }>();
  private nextKey = 1n;

  constructor(opts: UsearchIndexOptions) {
    this.dimensions = opts.dimensions;
    this.metric = opts.metric ?? 'cos';
    this.index = new Index({
      dimensions: opts.dimensions,
      metric: this.metric === 'ip' ? MetricKind.IP : MetricKind.Cos,
      quantization: ScalarKind.F32,
      connectivity: opts.connectivity ?? 32,
      expansion_add: opts.expansionAdd ?? 256,
      expansion_search: opts.expansionSearch ?? 256,
      multi: false,
    });
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    this.upsertNow(records);
  }

  /**
   * `upsert`, done when it returns: an index made of several graphs reads and changes them all
   * without yielding, so no search or write sees another half done.
   */
  upsertNow(records: readonly VectorRecord[]): void {
    if (!records.length) return;
    const keys = new BigUint64Array(records.length);
    const matrix = new Float32Array(records.length * this.dimensions);
    records.forEach((r, i) => {
      if (r.vector.length !== this.dimensions)
        throw new Error(`vector for ${r.id} has ${r.vector.length} dimensions, not ${this.dimensions}`);
      const old = this.keyOf.get(r.id);
      if (old !== undefined) {
        this.index.remove(old);
        this.idOf.delete(old);
      }
      const key = this.nextKey++;
      this.keyOf.set(r.id, key);
      this.idOf.set(key, { id: r.id, ...(r.category ? { category: r.category } : {}) });
      keys[i] = key;
      matrix.set(r.vector, i * this.dimensions);
    });
    this.index.add(keys, matrix, 0);
  }

  async remove(ids: readonly string[]): Promise<void> {
    this.removeNow(ids);
  }

  /** `remove`, done when it returns (see `upsertNow`). */
  removeNow(ids: readonly string[]): void {
    for (const id of ids) {
      const key = this.keyOf.get(id);
      if (key === undefined) continue;
      this.index.remove(key);
      this.keyOf.delete(id);
      this.idOf.delete(key);
    }
  }

  async search(
    query: Float32Array | readonly number[],
    k: number,
    options: VectorSearchOptions = {},
  ): Promise<VectorHit[]> {
    return this.searchNow(query, k, options);
  }

  /** `search`, answered when it returns (see `upsertNow`). */
  searchNow(
    query: Float32Array | readonly number[],
    k: number,
    options: VectorSearchOptions = {},
  ): VectorHit[] {
    const total = this.keyOf.size;
    if (total === 0 || k <= 0) return [];
    const q = query instanceof Float32Array ? query : Float32Array.from(query);
    // Exclusions drop at most their own count of hits, so k more than that is enough on the first
    // try; a category filter's yield is unknown, so it over-fetches. A larger count costs the graph
    // walk (usearch widens its search to the count): 4k for a few excluded ids made serving's
    // searches several times dearer than the unfiltered ones recall is measured on.
    let fetch = Math.min(total, options.categories ? k * 4 : k + (options.excludeIds?.size ?? 0));
    for (;;) {
      const m = this.index.search(q, fetch, 0);
      const hits: VectorHit[] = [];
      for (let i = 0; i < m.keys.length && hits.length < k; i++) {
        const meta = this.idOf.get(m.keys[i] as bigint);
        if (meta && passesFilter(meta.id, meta.category, options))
          // usearch distances are 1 - cos and 1 - dot, so one formula recovers either similarity.
          hits.push({ id: meta.id, score: 1 - (m.distances[i] as number) });
      }
      if (hits.length >= k || fetch >= total) return hits;
      fetch = Math.min(total, fetch * 4);
    }
  }

  async size(): Promise<number> {
    return this.keyOf.size;
  }

  /** Vectors held, without waiting: what `size()` resolves to. */
  get count(): number {
    return this.keyOf.size;
  }

  /** The category `id` was stored with; undefined when it has none or is not held. */
  categoryOf(id: string): string | undefined {
    const key = this.keyOf.get(id);
    return key === undefined ? undefined : this.idOf.get(key)?.category;
  }

  /** Every held id with its category. */
  *entries(): IterableIterator<{ id: string; category?: string }> {
    yield* this.idOf.values();
  }

  /** Persists the graph and the id map to `dir` (written beside, then renamed into place). */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.index.save(join(dir, 'index.usearch.tmp'));
    writeFileSync(
      join(dir, 'ids.json.tmp'),
      JSON.stringify({
        next: this.nextKey.toString(),
        metric: this.metric,
        ids: [...this.idOf].map(([k, v]) => [k.toString(), v.id, v.category ?? null]),
      }),
    );
    renameSync(join(dir, 'index.usearch.tmp'), join(dir, 'index.usearch'));
    renameSync(join(dir, 'ids.json.tmp'), join(dir, 'ids.json'));
  }

  /**
   * Loads an index saved by `save`, or returns undefined when `dir` holds none. Throws
   * VectorMetricMismatchError when it was saved with another metric than `opts.metric` (an index
   * saved before metrics were recorded is a cosine one).
   */
  static load(dir: string, opts: UsearchIndexOptions): UsearchVectorIndex | undefined {
    if (!existsSync(join(dir, 'index.usearch')) || !existsSync(join(dir, 'ids.json'))) return undefined;
    const meta = JSON.parse(readFileSync(join(dir, 'ids.json'), 'utf8')) as {
      next: string;
      metric?: VectorMetric;
      ids: [string, string, string | null][];
    };
    const saved = meta.metric ?? 'cos';
    const wanted = opts.metric ?? 'cos';
    if (saved !== wanted) throw new VectorMetricMismatchError(saved, wanted, dir);
    const idx = new UsearchVectorIndex(opts);
    idx.index.load(join(dir, 'index.usearch'));
    idx.nextKey = BigInt(meta.next);
    for (const [k, id, category] of meta.ids) {
      idx.keyOf.set(id, BigInt(k));
      idx.idOf.set(BigInt(k), { id, ...(category ? { category } : {}) });
    }
    return idx;
  }
}
