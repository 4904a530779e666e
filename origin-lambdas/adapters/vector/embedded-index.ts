import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type {
  VectorHit,
  VectorIndex,
  VectorRecord,
  VectorSearchOptions,
} from '../../../shared/ports/vector-index';
import { tableName } from '../../../shared/tables';
import { decodeVector } from '../vector-codec';
import { UsearchVectorIndex } from './usearch-index';

export interface EmbeddedIndexOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly prefix: string;
  readonly dimensions: number;
  /** Where the index is persisted; loaded from here when present, saved here after a build. */
  readonly dir?: string;
}

/**
 * Loads the embedded HNSW index from `dir`, or builds it from the items table (one paginated
 * scan, available items only) and persists it there. Deleted or unavailable items are left out.
 */
export async function loadEmbeddedIndex(opts: EmbeddedIndexOptions): Promise<UsearchVectorIndex> {
  if (opts.dir) {
    const saved = UsearchVectorIndex.load(opts.dir, { dimensions: opts.dimensions });
    if (saved) return saved;
  }
  const index = new UsearchVectorIndex({ dimensions: opts.dimensions });
  let start: Record<string, unknown> | undefined;
  do {
    const out = await opts.doc.send(
      new ScanCommand({
        TableName: tableName(opts.prefix, 'items'),
        ProjectionExpression: 'item_id, category, embedding, available, deleted',
        ExclusiveStartKey: start,
      }),
    );
    const records: VectorRecord[] = [];
    for (const row of out.Items ?? []) {
      if (row.available === false || row.deleted === true) continue;
      const vector = decodeVector(row.embedding as Uint8Array | undefined);
      if (vector.length === opts.dimensions)
        records.push({ id: String(row.item_id), vector, category: String(row.category) });
    }
    await index.upsert(records);
    start = out.LastEvaluatedKey;
  } while (start);
  if (opts.dir && (await index.size()) > 0) index.save(opts.dir);
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
