import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogItem } from '../../../shared/ports/item-catalog';
import { tableName } from '../../../shared/tables';
import { decodeVector } from '../vector-codec';

/**
 * The whole items table, one page of a paginated scan at a time, decoded as `getItems` decodes
 * (deleted and unavailable items included: hydration must see their flags). `segments` scans run
 * side by side (DynamoDB's parallel scan); pages come in the order they arrive.
 */
export async function* scanCatalogItems(
  doc: DynamoDBDocumentClient,
  prefix: string,
  segments = 1,
): AsyncGenerator<CatalogItem[]> {
  const TableName = tableName(prefix, 'items');
  const queue: CatalogItem[][] = [];
  let wake: (() => void) | undefined;
  let running = segments;
  let failure: unknown;
  const segment = async (Segment: number) => {
    try {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new ScanCommand({
            TableName,
            ExclusiveStartKey: start,
            ...(segments > 1 ? { Segment, TotalSegments: segments } : {}),
          }),
        );
        queue.push(
          (out.Items ?? []).map(
            (raw) => ({ ...raw, embedding: decodeVector(raw.embedding) }) as unknown as CatalogItem,
          ),
        );
        wake?.();
        start = out.LastEvaluatedKey;
      } while (start && failure === undefined);
    } catch (err) {
      failure ??= err;
    } finally {
      running--;
      wake?.();
    }
  };
  for (let s = 0; s < segments; s++) void segment(s);
  for (;;) {
    const page = queue.shift();
    if (page) {
      yield page;
      continue;
    }
    if (failure !== undefined) throw failure;
    if (running === 0) return;
    await new Promise<void>((r) => {
      wake = r;
    });
    wake = undefined;
  }
}
