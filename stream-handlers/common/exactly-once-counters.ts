import { createHash } from 'node:crypto';
import type { StreamEvent } from '../../shared/schemas/event';
import type { CounterStore, CounterWrite, ShardLedger } from './counter-store';
import type { SequencedEvent } from './delivered';
import { forEachLimit } from './limit';
import { compareSequence } from './sequence';

export interface CounterBatchOptions {
  /** Event ids the shard ledger remembers for deduplicating client retries. @default 4000 */
  readonly ledgerIds?: number;
  /** Re-reads after a lost race or a stale fence before a key fails. @default 3 */
  readonly maxRaces?: number;
  /** Counter writes in flight at once. @default 16 */
  readonly concurrency?: number;
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

interface Part {
  readonly seq: string;
  readonly write: CounterWrite;
}

/**
 * The ledger remembers 72-bit digests of event ids (12 characters) rather than the ids: the ledger
 * item is written every batch, and its size is what that write costs.
 */
export const idDigest = (eventId: string) =>
  createHash('sha1').update(eventId).digest('base64url').slice(0, 12);

const keyString = (k: Readonly<Record<string, string>>) =>
  Object.keys(k)
    .sort()
    .map((a) => `${a}=${k[a]}`)
    .join('|');

function sumParts(parts: readonly Part[]): CounterWrite {
  const add: Record<string, number> = {};
  const set: Record<string, string | number> = {};
  for (const p of parts) {
    for (const [a, v] of Object.entries(p.write.add)) add[a] = (add[a] ?? 0) + v;
    Object.assign(set, p.write.set);
  }
  return { key: (parts[0] as Part).write.key, add, set };
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
  let keysWritten = 0;
  let firstFailed: { seq: string; err: Error } | undefined;
  await forEachLimit([...groups.values()], opts.concurrency ?? 16, async (all) => {
    let parts = all;
    try {
      for (let race = 0; parts.length && race <= maxRaces; race++) {
        const fence = {
          shardId,
          firstSequence: (parts[0] as Part).seq,
          lastSequence: (parts[parts.length - 1] as Part).seq,
        };
        const out = await store.addOnce(sumParts(parts), fence);
        if (out.applied) {
          keysWritten++;
          return;
        }
        parts = parts.filter((p) => compareSequence(p.seq, out.watermark) > 0);
      }
      if (parts.length) throw new Error(`counter ${keyString(all[0]!.write.key)}: fence kept moving`);
    } catch (err) {
      const seq = (all[0] as Part).seq;
      if (!firstFailed || compareSequence(seq, firstFailed.seq) < 0) firstFailed = { seq, err: err as Error };
    }
  });
  const failures = new Map<string, Error>();
  const done = (seq: string) => !firstFailed || compareSequence(seq, firstFailed.seq) < 0;
  for (const e of events) if (!done(e.sequenceNumber)) failures.set(e.sequenceNumber, firstFailed!.err);
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
