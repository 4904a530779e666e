import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { VectorRecord } from '../../../shared/ports/vector-index';
import { tableName } from '../../../shared/tables';
import { decodeVector } from '../vector-codec';

/**
 * The items table as vector records, one page of a paginated scan at a time: available, not
 * deleted, with an embedding of `dimensions` floats. Every full index build (the embedded index
 * at start, the OpenSearch rebuild) reads the catalog through this one rule, the rule the item
 * indexer applies to single changes.
 */
export async function* scanItemVectors(
  doc: DynamoDBDocumentClient,
  prefix: string,
  dimensions: number,
): AsyncGenerator<{ records: VectorRecord[]; scanned: number }> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName(prefix, 'items'),
        ProjectionExpression: 'item_id, category, embedding, available, deleted',
        ExclusiveStartKey: start,
      }),
    );
    const records: VectorRecord[] = [];
    for (const row of out.Items ?? []) {
      if (row.available === false || row.deleted === true) continue;
      const vector = decodeVector(row.embedding as Uint8Array | undefined);
      if (vector.length === dimensions)
        records.push({ id: String(row.item_id), vector, category: String(row.category) });
    }
    yield { records, scanned: out.Items?.length ?? 0 };
    start = out.LastEvaluatedKey;
  } while (start);
}
