import type { KinesisStreamEvent } from 'aws-lambda';
import { buildKinesisEvent } from '../../local/kinesis-runner/lambda-event';
import { seededRandom } from '../../shared/random';
import { createWorkload } from './generator';

/** Shape of the synthetic batches {@link syntheticBatches} builds. */
export interface SyntheticBatchOptions {
  /** Events in all, duplicate sends not counted. */
  readonly events: number;
  /** Records per batch, as the mapping would deliver them. @default 2000 */
  readonly batchSize?: number;
  readonly users: number;
  readonly itemIds: readonly string[];
  /** Fraction of requests sent twice with the same event ids (a client retry). @default 0.02 */
  readonly duplicateRate?: number;
  /** Events per ingest request; they share `ts` and `received_at`. @default 500 */
  readonly perRequest?: number;
  /** Offered load, which spaces the requests' timestamps. @default 2000 */
  readonly eventsPerSecond?: number;
  readonly seed?: number;
}

// A fixed start, so the trending buckets and decay factors are the same on every run.
const START_MS = Date.parse('2025-06-02T12:00:00.000Z');

/**
 * Kinesis batches shaped like the ones the live bench delivers (`send.ts` through ingest): the
 * same workload, events posted in requests that share a timestamp, some requests sent twice, one
 * shard with increasing sequence numbers. Seeded and clock-free, so every run times the same work.
 */
export function syntheticBatches(opts: SyntheticBatchOptions): KinesisStreamEvent[] {
  const perRequest = opts.perRequest ?? 500;
  const batchSize = opts.batchSize ?? 2000;
  const duplicateRate = opts.duplicateRate ?? 0.02;
  const spacingMs = (perRequest / (opts.eventsPerSecond ?? 2000)) * 1000;
  const workload = createWorkload({ users: opts.users, itemIds: opts.itemIds, seed: opts.seed ?? 1 });
  const rand = seededRandom((opts.seed ?? 1) + 1);
  const payloads: string[] = [];
  for (let made = 0, request = 0; made < opts.events; request++) {
    const at = new Date(START_MS + request * spacingMs).toISOString();
    const n = Math.min(perRequest, opts.events - made);
    const sent = Array.from({ length: n }, () => JSON.stringify({ ...workload.next(at), received_at: at }));
    payloads.push(...sent);
    if (rand() < duplicateRate) payloads.push(...sent);
    made += n;
  }
  const source = { functionName: 'bench', streamName: 'bench', shardId: 'shardId-000000000000' };
  let seq = 10n ** 20n;
  const batches: KinesisStreamEvent[] = [];
  for (let i = 0; i < payloads.length; i += batchSize) {
    const records = payloads.slice(i, i + batchSize).map((data) => ({
      SequenceNumber: String(seq++),
      PartitionKey: 'bench',
      Data: Buffer.from(data),
      ApproximateArrivalTimestamp: new Date(START_MS),
    }));
    batches.push(buildKinesisEvent(records, source));
  }
  return batches;
}
