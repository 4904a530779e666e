import type { DynamoDBRecord } from 'aws-lambda';
import { type ItemVector, itemVectorOf, sameIndexEntry, UndecodableImageError } from './item-vector';

/** What one stream record asks of the vector index. */
export type ItemChange =
  | { readonly op: 'upsert'; readonly entry: Extract<ItemVector, { indexed: true }> }
  | { readonly op: 'remove'; readonly id: string }
  /** Nothing the index holds changed (a popularity or price update, an unindexable insert). */
  | { readonly op: 'skip'; readonly id: string };

/**
 * Decides the index operation for one items-table stream record. Upserts and deletes are by id,
 * so applying a change twice (a retried batch) leaves the index as applying it once.
 * Needs the NEW_AND_OLD_IMAGES view: the old image is what lets an unchanged vector be skipped.
 */
export function itemChangeOf(record: DynamoDBRecord, dimensions: number): ItemChange {
  const data = record.dynamodb;
  if (record.eventName === 'REMOVE') {
    const id = data?.Keys?.item_id?.S;
    if (!id) throw new UndecodableImageError('REMOVE record has no item_id key');
    return { op: 'remove', id };
  }
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY')
    throw new UndecodableImageError(`unknown eventName ${String(record.eventName)}`);
  if (!data?.NewImage)
    throw new UndecodableImageError(
      `${record.eventName} record has no NewImage (stream view must be NEW_AND_OLD_IMAGES)`,
    );
  const next = itemVectorOf(data.NewImage, dimensions);
  const id = next.indexed ? next.record.id : next.id;
  const before =
    record.eventName === 'MODIFY' && data.OldImage ? oldEntry(data.OldImage, dimensions) : undefined;
  if (before && sameIndexEntry(before, next)) return { op: 'skip', id };
  if (next.indexed) return { op: 'upsert', entry: next };
  // A new row that is not indexable was never in the index.
  return record.eventName === 'INSERT' ? { op: 'skip', id } : { op: 'remove', id };
}

/** An old image that does not decode cannot prove "unchanged", so the change is applied. */
function oldEntry(image: Record<string, unknown>, dimensions: number): ItemVector | undefined {
  try {
    return itemVectorOf(image, dimensions);
  } catch {
    return undefined;
  }
}
