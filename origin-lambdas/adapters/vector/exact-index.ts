import type {
  VectorHit,
  VectorIndex,
  VectorRecord,
  VectorSearchOptions,
} from '../../../shared/ports/vector-index';
import { passesFilter } from './filter';
import { similarity, type VectorMetric } from './metric';

/**
 * Brute-force search by cosine or inner product. The ground truth that recall of the approximate
 * indexes is measured against, and a fine index for small catalogs.
 */
export class ExactVectorIndex implements VectorIndex {
  private readonly records = new Map<string, VectorRecord>();
  constructor(
    readonly dimensions: number,
    /** @default 'cos' */
    readonly metric: VectorMetric = 'cos',
  ) {}

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    for (const r of records) {
      if (r.vector.length !== this.dimensions)
        throw new Error(`vector for ${r.id} has ${r.vector.length} dimensions, not ${this.dimensions}`);
      this.records.set(r.id, r);
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.records.delete(id);
  }

  async search(
    query: Float32Array | readonly number[],
    k: number,
    options: VectorSearchOptions = {},
  ): Promise<VectorHit[]> {
    const hits: VectorHit[] = [];
    for (const r of this.records.values()) {
      if (passesFilter(r.id, r.category, options))
        hits.push({ id: r.id, score: similarity(this.metric, query, r.vector) });
    }
    return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k);
  }

  async size(): Promise<number> {
    return this.records.size;
  }
}
