import type { StreamEvent } from '../../shared/schemas/event';
import type { CounterStore, CounterWrite, ShardLedger } from './counter-store';
import { keyString, type Part, writeCounterGroups } from './counter-writes';
import type { SequencedEvent } from './delivered';
import { idDigest } from './event-digest';
import { compareSequence } from './sequence';
import { DEFAULT_WRITE_MODE, type WriteMode } from './write-mode';

export interface CounterBatchOptions {
  /** Event ids the shard ledger remembers for deduplicating client retries. @default 4000 */
  readonly ledgerIds?: number;
  /** Re-reads after a lost race or a stale fence before a key fails. @default 3 */
  readonly maxRaces?: number;
  /** Counter writes in flight at once in `single` mode. @default 16 */
  readonly concurrency?: number;
  /** One transaction per 100 keys, or one request per key. @default 'transact' */
  readonly writeMode?: WriteMode;
}

export interface CounterBatchResult {
  readonly failures: Map<string, Error>;
  /** Events newly counted (not redelivered, not a duplicate id). */
  readonly applied: number;
  readonly duplicates: number;
  readonly keysWritten: number;
  /** Sequence numbers of the events counted, for freshness. */
  readonly appliedEvents: SequencedEvent[];
}

/**
 * Applies one shard's decoded events to counters exactly once. Redelivered records are stopped by
 * the fence each counter item carries (its per-shard watermark); client retries (same event id,
 * new record) by the shard ledger's recent ids. Each counter key is written once per batch; the
 * ledger is written once per batch, after every key, so a crash in between only redelivers.
 */
export async function applyCounters(
  store: CounterStore,
  shardId: string,
  events: readonly SequencedEvent[],
  contribute: (event: StreamEvent) => CounterWrite[],
  opts: CounterBatchOptions = {},
): Promise<CounterBatchResult> {
  const maxRaces = opts.maxRaces ?? 3;
  const ledger = await store.getLedger(shardId);
  const seen = new Set(ledger?.event_ids);
  const kept: SequencedEvent[] = [];
  let duplicates = 0;
  for (const e of events) {
    if (ledger?.watermark && compareSequence(e.sequenceNumber, ledger.watermark) <= 0) continue;
    const digest = idDigest(e.event.event_id);
    if (seen.has(digest)) {
      duplicates++;
      continue;
    }
    seen.add(digest);
    kept.push(e);
  }
  const groups = new Map<string, Part[]>();
  for (const e of kept) {
    for (const write of contribute(e.event)) {
      const k = keyString(write.key);
      const parts = groups.get(k) ?? [];
      parts.push({ seq: e.sequenceNumber, write });
      groups.set(k, parts);
    }
  }
  const { keysWritten, firstFailed } = await writeCounterGroups(store, shardId, [...groups.values()], {
    mode: opts.writeMode ?? DEFAULT_WRITE_MODE,
    maxRaces,
    concurrency: opts.concurrency ?? 16,
  });
  const failures = new Map<string, Error>();
  const done = (seq: string) => !firstFailed || compareSequence(seq, firstFailed.seq) < 0;
  for (const e of events)
    if (firstFailed && !done(e.sequenceNumber)) failures.set(e.sequenceNumber, firstFailed.err);
  const completed = events.filter((e) => done(e.sequenceNumber));
  const appliedEvents = kept.filter((e) => done(e.sequenceNumber));
  const last = completed[completed.length - 1];
  // A pure replay (nothing new, ledger already past it) writes nothing at all.
  const behind = !ledger?.watermark || (last && compareSequence(last.sequenceNumber, ledger.watermark) > 0);
  if (last && (appliedEvents.length > 0 || behind))
    await writeLedger(store, shardId, ledger, last.sequenceNumber, appliedEvents, opts, maxRaces);
  return { failures, applied: appliedEvents.length, duplicates, keysWritten, appliedEvents };
}

async function writeLedger(
  store: CounterStore,
  shardId: string,
  read: ShardLedger | undefined,
  watermark: string,
  applied: readonly SequencedEvent[],
  opts: CounterBatchOptions,
  maxRaces: number,
): Promise<void> {
  let current = read;
  for (let race = 0; race <= maxRaces; race++) {
    const keep = current?.watermark && compareSequence(current.watermark, watermark) > 0;
    const ids = [...(current?.event_ids ?? []), ...applied.map((e) => idDigest(e.event.event_id))];
    const next: ShardLedger = {
      shard_id: shardId,
      watermark: keep ? (current?.watermark as string) : watermark,
      event_ids: [...new Set(ids)].slice(-(opts.ledgerIds ?? 4000)),
      version: (current?.version ?? 0) + 1,
    };
    if (await store.putLedger(next, current?.version ?? 0)) return;
    current = await store.getLedger(shardId);
  }
  throw new Error(`shard ledger ${shardId}: lost ${maxRaces + 1} races`);
}
