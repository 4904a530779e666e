/** What the last poll found, and how long it took from its start to now. */
export interface PollOutcome {
  /** Records it fetched over all shards. */
  readonly fetched: number;
  /** Whether some shard filled a whole batch. */
  readonly full: boolean;
  /** Milliseconds since the poll started (reading and invoking included). */
  readonly elapsedMs: number;
}

/**
 * When the next poll starts. Lambda "polls each shard at a base rate of once per second. When more
 * records are available, Lambda keeps processing batches until the function catches up with the
 * stream" (Lambda developer guide, with-kinesis). So: a full batch means the shard is behind, read
 * on at once; a poll that brought records is followed by another as soon as the busy interval
 * allows (a shard serves 5 GetRecords a second, shared by its consumers); an empty one waits for the
 * base interval. Intervals run from the start of a poll, so handler time counts toward them.
 */
export function nextPollDelay(
  last: PollOutcome,
  intervals: { readonly pollIntervalMs: number; readonly busyPollIntervalMs: number },
): number {
  if (last.full) return 0;
  const interval = last.fetched > 0 ? intervals.busyPollIntervalMs : intervals.pollIntervalMs;
  return Math.max(0, interval - last.elapsedMs);
}
