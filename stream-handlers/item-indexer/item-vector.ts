import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { decodeVector } from '../../origin-lambdas/adapters/vector-codec';
import type { VectorRecord } from '../../shared/ports/vector-index';

/** A stream image that cannot be read as an item; its record is reported as a batch item failure. */
export class UndecodableImageError extends Error {
  override name = 'UndecodableImageError';
}

/** What an items row means to the vector index. */
export type ItemVector =
  | { readonly indexed: true; readonly record: VectorRecord }
  /** Not in the index: deleted, unavailable, or no embedding of the index's width. */
  | { readonly indexed: false; readonly id: string; readonly reason: 'unavailable' | 'no-embedding' };

/**
 * Reads a stream image (DynamoDB JSON, as Lambda delivers it) as the index sees the item: the
 * same rule as the embedded index's build from the items table, so a stream-fed index and a
 * rebuilt one hold the same items. Throws `UndecodableImageError` when the image is not an item.
 */
export function itemVectorOf(image: Record<string, unknown>, dimensions: number): ItemVector {
  let row: Record<string, unknown>;
  try {
    row = unmarshall(image as Record<string, AttributeValue>);
  } catch (err) {
    throw new UndecodableImageError(`image does not unmarshall: ${(err as Error).message}`);
  }
  const id = row.item_id;
  if (typeof id !== 'string' || !id) throw new UndecodableImageError('image has no string item_id');
  if (row.available === false || row.deleted === true) return { indexed: false, id, reason: 'unavailable' };
  const vector = embeddingOf(row.embedding, id);
  if (vector.length !== dimensions) return { indexed: false, id, reason: 'no-embedding' };
  const category = typeof row.category === 'string' ? row.category : undefined;
  return { indexed: true, record: { id, vector, ...(category ? { category } : {}) } };
}

/** True when both describe the same index document (or both are absent from the index). */
export function sameIndexEntry(a: ItemVector, b: ItemVector): boolean {
  if (!a.indexed || !b.indexed) return a.indexed === b.indexed;
  const x = a.record;
  const y = b.record;
  return (
    x.id === y.id &&
    x.category === y.category &&
    x.vector.length === y.vector.length &&
    x.vector.every((v, i) => v === y.vector[i])
  );
}

/**
 * Embeddings are float32 bytes (`vector-codec.ts`); in a Lambda event a binary attribute arrives
 * base64-encoded, through the SDK as bytes. A number list is accepted for hand-written rows.
 */
function embeddingOf(raw: unknown, id: string): number[] {
  if (raw === undefined || raw === null) return [];
  let bytes: Uint8Array;
  if (typeof raw === 'string') bytes = Buffer.from(raw, 'base64');
  else if (raw instanceof Uint8Array) bytes = raw;
  else if (Array.isArray(raw) && raw.every((v) => typeof v === 'number' && Number.isFinite(v))) return raw;
  else throw new UndecodableImageError(`embedding of ${id} is neither bytes nor a number list`);
  if (bytes.byteLength % 4 !== 0)
    throw new UndecodableImageError(`embedding of ${id} has ${bytes.byteLength} bytes, not float32s`);
  return decodeVector(bytes);
}
