/** Start of the `sizeMs` bucket holding `at`, as an ISO string: sortable, readable, stable. */
export function bucketOf(at: number, sizeMs: number): string {
  return new Date(Math.floor(at / sizeMs) * sizeMs).toISOString();
}

/** The buckets covering the last `windowMs` up to `now`, oldest first. */
export function bucketsInWindow(now: number, windowMs: number, sizeMs: number): string[] {
  const first = Math.floor((now - windowMs) / sizeMs) + 1;
  const last = Math.floor(now / sizeMs);
  return Array.from({ length: last - first + 1 }, (_, i) => new Date((first + i) * sizeMs).toISOString());
}

/** Epoch seconds, the unit DynamoDB TTL reads. */
export const epochSeconds = (ms: number) => Math.floor(ms / 1000);
