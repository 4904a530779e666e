import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanItemVectors } from '../../origin-lambdas/adapters/vector/item-vectors';
import type {
  OpenSearchVectorIndex,
  RebuildResult,
} from '../../origin-lambdas/adapters/vector/opensearch-index';
import type { VectorRecord } from '../../shared/ports/vector-index';

export interface FullLoadProgress {
  readonly phase: 'scan' | 'load';
  readonly done: number;
}

/**
 * The first load (and any full rebuild) of the OpenSearch index from the source of truth: every
 * indexable row of the items table, by the same rule the item indexer applies to one change, into
 * a new versioned index that the alias moves to when it is complete (zero downtime). Changes the
 * indexer writes meanwhile land in the old index; run it when the catalog is quiet, or replay the
 * items stream from the rebuild's start (docs/vector-search.md).
 */
export async function rebuildFromItems(
  doc: DynamoDBDocumentClient,
  prefix: string,
  index: OpenSearchVectorIndex,
  onProgress: (p: FullLoadProgress) => void = () => {},
): Promise<RebuildResult & { items: number }> {
  const records: VectorRecord[] = [];
  let scanned = 0;
  for await (const page of scanItemVectors(doc, prefix, index.dimensions)) {
    records.push(...page.records);
    scanned += page.scanned;
    onProgress({ phase: 'scan', done: scanned });
  }
  const result = await index.rebuild(records, {
    onProgress: (p) => onProgress({ phase: 'load', done: p.indexed }),
  });
  return { ...result, items: records.length };
}
