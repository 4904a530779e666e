/**
 * Port for exactly-once counters (bandit posteriors, trending buckets): atomic ADDs fenced by a
 * per-shard watermark kept inside each counter item, plus one ledger item per shard holding the
 * recent event ids that dedupe client retries.
 */

/** One counter item's changes from one batch. */
export interface CounterWrite {
  readonly key: Readonly<Record<string, string>>;
  /** Numeric attributes to ADD (atomic, may be negative). */
  readonly add: Readonly<Record<string, number>>;
  /** Attributes to SET (e.g. a TTL). */
  readonly set?: Readonly<Record<string, string | number>>;
}

/** The slice of a shard a write covers: its first and last contributing sequence numbers. */
export interface Fence {
  readonly shardId: string;
  readonly firstSequence: string;
  readonly lastSequence: string;
}

/** One counter key's write in a batch, with the slice of the shard it covers. */
export interface FencedWrite {
  readonly write: CounterWrite;
  readonly fence: Fence;
}

export type AddOutcome = { readonly applied: true } | { readonly applied: false; readonly watermark: string };

/** Per-shard dedupe state: the last sequence fully applied and digests of recent event ids. */
export interface ShardLedger {
  readonly shard_id: string;
  readonly watermark?: string;
  /** Fixed-width (12 character) digests, oldest first. */
  readonly event_ids: readonly string[];
  readonly version: number;
}

export interface CounterStore {
  /**
   * ADDs `write.add` unless the item's watermark for this shard is already at or past
   * `fence.firstSequence`; then reports that watermark so the caller can apply only newer records.
   */
  addOnce(write: CounterWrite, fence: Fence): Promise<AddOutcome>;
  /**
   * `addOnce` for many keys in as few requests as the backend allows, each keeping its own fence:
   * per write, in order, the outcome `addOnce` would give. A key may appear once. Any other
   * failure rejects the call; writes already applied stay applied (their fences stop a redo).
   */
  addManyOnce(writes: readonly FencedWrite[]): Promise<AddOutcome[]>;
  getLedger(shardId: string): Promise<ShardLedger | undefined>;
  /** Writes the ledger if its stored version still equals `expectedVersion` (0 = absent). */
  putLedger(next: ShardLedger, expectedVersion: number): Promise<boolean>;
}
