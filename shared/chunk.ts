/**
 * Splits `items` into consecutive chunks of at most `maxCount` items and `maxBytes` bytes (by
 * `sizeOf`), greedily and in order; an item larger than `maxBytes` gets a chunk of its own. One
 * function for every batched write with two limits: Kinesis PutRecords, Cloudflare Queues sendBatch.
 */
export function chunkBySize<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: { readonly maxCount: number; readonly maxBytes: number },
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxCount || bytes + size > limits.maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
