/** One vector with its id and the attributes filters may test. */
export interface VectorRecord {
  readonly id: string;
  readonly vector: Float32Array | readonly number[];
  readonly category?: string;
}

export interface VectorHit {
  readonly id: string;
  /** Similarity under the index's metric: cosine in [-1, 1], or the raw inner product under `ip`. */
  readonly score: number;
}

export interface VectorSearchOptions {
  /** Ids to leave out of the result. */
  readonly excludeIds?: ReadonlySet<string>;
  /** Only these categories, when set. */
  readonly categories?: ReadonlySet<string>;
}

/** Port: approximate nearest-neighbour search (embedded HNSW locally, OpenSearch k-NN in production). */
export interface VectorIndex {
  readonly dimensions: number;
  upsert(records: readonly VectorRecord[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  search(
    query: Float32Array | readonly number[],
    k: number,
    options?: VectorSearchOptions,
  ): Promise<VectorHit[]>;
  size(): Promise<number>;
}
