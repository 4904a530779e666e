import type { KinesisStreamEvent } from 'aws-lambda';
import { buildKinesisEvent } from '../../local/kinesis-runner/lambda-event';
import { seededRandom } from '../../shared/random';
import type { StreamEvent } from '../../shared/schemas/event';
import { encodeEventRecords } from '../../shared/schemas/event-record';
import { createWorkload } from './generator';

/** Shape of the synthetic batches {@link syntheticBatches} builds; defaults are bench:stream's. */
export interface SyntheticBatchOptions {
  /** Events in all, duplicate sends not counted. */
  readonly events: number;
  readonly users: number;
  readonly itemIds: readonly string[];
  /** Offered load, which spaces the requests' timestamps. @default 2000 */
  readonly eventsPerSecond?: number;
  /**
   * Events per ingest request; they share `ts` and `received_at`, and ingest packs each user's
   * events of a request into one record. @default 150: with 200 users a record then carries 1.4
   * events, as bench:stream's records measured (docs/streaming.md)
   */
  readonly perRequest?: number;
  /** Fraction of requests sent twice with the same event ids (a client retry). @default 0.02 */
  readonly duplicateRate?: number;
  /**
   * A batch holds what reached the shard between two polls: under load the local mapping polls
   * again 600 ms after a poll that brought records (`busy-poll-ms`), ... @default 600
   */
  readonly pollMs?: number;
  /** ... up to this many records. @default 10000 */
  readonly batchSize?: number;
  readonly seed?: number;
}

// A fixed start, so the trending buckets and decay factors are the same on every run.
const START_MS = Date.parse('2025-06-02T12:00:00.000Z');

/**
 * Kinesis batches shaped like the ones the live bench delivers (`send.ts` through ingest): the
 * same workload, posted in requests whose events share a timestamp and are packed into records per
 * user as ingest packs them, some requests sent twice, one shard with increasing sequence numbers,
 * a batch per poll interval. Seeded and clock-free, so every run times the same work.
 */
export function syntheticBatches(opts: SyntheticBatchOptions): KinesisStreamEvent[] {
  const rate = opts.eventsPerSecond ?? 2000;
  const perRequest = opts.perRequest ?? 150;
  const duplicateRate = opts.duplicateRate ?? 0.02;
  const pollMs = opts.pollMs ?? 600;
  const batchSize = opts.batchSize ?? 10_000;
  const spacingMs = (perRequest / rate) * 1000;
  const workload = createWorkload({ users: opts.users, itemIds: opts.itemIds, seed: opts.seed ?? 1 });
  const rand = seededRandom((opts.seed ?? 1) + 1);
  const polls = new Map<number, { data: Uint8Array; partitionKey: string }[]>();
  for (let made = 0, request = 0; made < opts.events; request++) {
    const atMs = START_MS + request * spacingMs;
    const at = new Date(atMs).toISOString();
    const n = Math.min(perRequest, opts.events - made);
    const events = Array.from({ length: n }, (): StreamEvent => ({ ...workload.next(at), received_at: at }));
    const records = encodeEventRecords(events);
    const pollIndex = Math.floor((request * spacingMs) / pollMs);
    const poll = polls.get(pollIndex) ?? [];
    poll.push(...records);
    // A client that did not trust the first answer sends the same events (same ids) again.
    if (rand() < duplicateRate) poll.push(...records);
    polls.set(pollIndex, poll);
    made += n;
  }
  const source = { functionName: 'bench', streamName: 'bench', shardId: 'shardId-000000000000' };
  let seq = 10n ** 20n;
  const batches: KinesisStreamEvent[] = [];
  for (const records of polls.values())
    for (let i = 0; i < records.length; i += batchSize) {
      const chunk = records.slice(i, i + batchSize).map((r) => ({
        SequenceNumber: String(seq++),
        PartitionKey: r.partitionKey,
        Data: r.data,
        ApproximateArrivalTimestamp: new Date(START_MS),
      }));
      batches.push(buildKinesisEvent(chunk, source));
    }
  return batches;
}
