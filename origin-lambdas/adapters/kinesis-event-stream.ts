import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { chunkBySize } from '../../shared/chunk';
import type { DependencyHealth, EventStream, PutEventsResult } from '../../shared/ports/event-stream';
import type { StreamEvent } from '../../shared/schemas/event';
import { encodeEventRecords } from '../../shared/schemas/event-record';

/** Kinesis PutRecords limits: records per request and bytes (data + partition keys) per request. */
export const PUT_RECORDS_LIMITS = { maxRecords: 500, maxBytes: 5 * 1024 * 1024 } as const;

/** One record to put: raw bytes and the partition key that picks its shard. */
export interface RawRecord {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

export interface PutRetryOptions {
  /** Total PutRecords attempts per chunk, the first included. @default 5 */
  maxAttempts?: number;
  /** Backoff base; attempt n waits a random time in [0, baseDelayMs * 2^n). @default 50 */
  baseDelayMs?: number;
  /** Upper bound of one backoff wait. @default 2000 */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface KinesisEventStreamOptions extends PutRetryOptions {
  client: KinesisClient;
  streamName: string;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const encoder = new TextEncoder();

// Errors no retry can fix: fail the whole chunk at once instead of sleeping through every attempt.
const PERMANENT_ERRORS = new Set([
  'ResourceNotFoundException',
  'ValidationException',
  'AccessDeniedException',
]);

/**
 * Splits records into consecutive chunks that each fit one PutRecords request.
 * Returns the input indexes of each chunk, in order.
 */
export function chunkForPutRecords(
  records: readonly RawRecord[],
  limits: { maxRecords: number; maxBytes: number } = PUT_RECORDS_LIMITS,
): number[][] {
  return chunkBySize(
    records.map((_, i) => i),
    (i) => {
      const r = records[i] as RawRecord;
      return r.data.byteLength + encoder.encode(r.partitionKey).byteLength;
    },
    { maxCount: limits.maxRecords, maxBytes: limits.maxBytes },
  );
}

/**
 * Puts raw records with PutRecords in request-sized chunks, retrying only the records Kinesis
 * rejected, with exponential backoff and full jitter. Chunks go in order so one key's records keep
 * their order when nothing is rejected.
 */
export async function putRecordsWithRetry(
  client: KinesisClient,
  streamName: string,
  records: readonly RawRecord[],
  opts: PutRetryOptions = {},
): Promise<PutEventsResult> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const base = opts.baseDelayMs ?? 50;
  const cap = opts.maxDelayMs ?? 2000;
  const sleep = opts.sleep ?? sleepMs;
  const random = opts.random ?? Math.random;
  const failed: number[] = [];
  for (const chunk of chunkForPutRecords(records)) {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0 && attempt < maxAttempts; attempt++) {
      if (attempt > 0) await sleep(Math.floor(random() * Math.min(cap, base * 2 ** attempt)));
      const entries: PutRecordsRequestEntry[] = pending.map((i) => ({
        Data: records[i]!.data,
        PartitionKey: records[i]!.partitionKey,
      }));
      try {
        const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
        const results = out.Records ?? [];
        pending = out.FailedRecordCount ? pending.filter((_, k) => !results[k] || results[k]!.ErrorCode) : [];
      } catch (err) {
        if (PERMANENT_ERRORS.has((err as Error).name)) break;
      }
    }
    failed.push(...pending);
  }
  failed.sort((a, b) => a - b);
  return { accepted: records.length - failed.length, failedIndexes: failed };
}

/**
 * EventStream on Kinesis: one user's events share a partition key, so they keep their order on one
 * shard, and the events of one key in a request travel in one record.
 */
export class KinesisEventStream implements EventStream {
  private readonly client: KinesisClient;
  private readonly streamName: string;
  private readonly retry: PutRetryOptions;

  constructor(opts: KinesisEventStreamOptions) {
    const { client, streamName, ...retry } = opts;
    this.client = client;
    this.streamName = streamName;
    this.retry = retry;
  }

  /**
   * Puts events as UTF-8 JSON, one key's events packed into shared records
   * (shared/schemas/event-record.ts); `failedIndexes` are input indexes of events whose record was
   * still rejected after every retry.
   */
  async putEvents(events: readonly StreamEvent[]): Promise<PutEventsResult> {
    const records = encodeEventRecords(events);
    const out = await putRecordsWithRetry(this.client, this.streamName, records, this.retry);
    const failedIndexes = out.failedIndexes
      .flatMap((r) => records[r]?.eventIndexes ?? [])
      .sort((a, b) => a - b);
    return { accepted: events.length - failedIndexes.length, failedIndexes };
  }

  /** Healthy while the stream exists and accepts writes (ACTIVE or UPDATING). */
  async health(): Promise<DependencyHealth> {
    try {
      const out = await this.client.send(new DescribeStreamSummaryCommand({ StreamName: this.streamName }));
      const s = out.StreamDescriptionSummary;
      const status = s?.StreamStatus ?? 'UNKNOWN';
      return {
        ok: status === 'ACTIVE' || status === 'UPDATING',
        detail: `stream ${this.streamName} ${status}, ${s?.OpenShardCount ?? 0} open shards`,
      };
    } catch (err) {
      return {
        ok: false,
        detail: `stream ${this.streamName}: ${(err as Error).name}: ${(err as Error).message}`,
      };
    }
  }
}
