import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

/** What a handler resolves to: nothing when every record succeeded, or the records that failed. */
// biome-ignore lint/suspicious/noConfusingVoidType: matches aws-lambda's KinesisStreamHandler, whose handlers return void.
export type KinesisHandlerResult = KinesisStreamBatchResponse | void;

/** The Lambda handler as deployed: the runner calls it unchanged. */
export type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisHandlerResult>;

export type RunnerLog = (msg: string, fields?: Record<string, unknown>) => void;

/** What a local Kinesis event source mapping needs; mirrors the Lambda mapping's settings. */
export interface EventSourceMappingOptions {
  /** Used in logs, the checkpoint file name and dead-letter records. */
  functionName: string;
  streamName: string;
  /** From origin-lambdas/common/aws-clients `createKinesisClient`. */
  kinesis: KinesisClient;
  handler: KinesisHandler;
  /** Records per invocation at most. @default 100 */
  batchSize?: number;
  /** Wait between polls when the shards are caught up; the first poll also waits this long. @default 1000 */
  pollIntervalMs?: number;
  /**
   * While polls bring records, the next poll starts this long after the previous one started (or
   * at once if the batch took longer), instead of waiting a full `pollIntervalMs`.
   * @default 600: a shard serves 5 GetRecords per second, shared by its consumers (three here)
   */
  busyPollIntervalMs?: number;
  /** Retries of one record range before it is dead-lettered (Lambda's MaximumRetryAttempts). @default 3 */
  maxRetryAttempts?: number;
  /** Split a failing batch in two and retry the halves (Lambda's BisectBatchOnFunctionError). @default true */
  bisectBatchOnError?: boolean;
  /** Where a shard without a checkpoint starts. @default 'TRIM_HORIZON' */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Directory for the checkpoint file (one JSON file per function and stream); in memory when absent. */
  checkpointDir?: string;
  /** How often the shard list is refreshed so split or merged shards are picked up. @default 30000 */
  shardRefreshMs?: number;
  /** Where records that exhaust their retries go (Lambda's on-failure destination). */
  deadLetter: DeadLetterSink;
  log?: RunnerLog;
}

/** One record that exhausted its retries, with enough to put it back on the stream. */
export interface DeadLetterRecord {
  functionName: string;
  streamName: string;
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** The record's bytes, base64. */
  data: string;
  error: string;
  /** Failed invocations of the last range that held the record. */
  attempts: number;
  failedAt: string;
}

export interface DeadLetterSink {
  put(records: DeadLetterRecord[]): Promise<void>;
}

export interface ShardPollResult {
  shardId: string;
  fetched: number;
  invocations: number;
  deadLettered: number;
  /** Set when the poll of this shard failed; the shard resumes after its checkpoint next time. */
  error?: string;
}

export interface PollResult {
  shards: ShardPollResult[];
  /** Records read from the stream in this poll, over all shards. */
  fetched: number;
  invocations: number;
  deadLettered: number;
}

export interface MappingStats {
  /** Handler invocations, retries included. */
  batches: number;
  /** Records handed to the handler, redeliveries included. */
  recordsDelivered: number;
  /** Records that ended processed successfully. */
  recordsSucceeded: number;
  /** Records in failed invocations (every record of a thrown batch, the reported ones of a partial failure). */
  recordsFailed: number;
  deadLettered: number;
  /** Invocations that redelivered records after a failure. */
  retries: number;
  /** Last fully processed sequence number per shard. */
  checkpoints: Record<string, string>;
}

export interface EventSourceMapping {
  /** Polls every shard once and processes what it read, retries included. */
  pollOnce(): Promise<PollResult>;
  /** Stops the timer and waits for the batch in flight. */
  stop(): Promise<void>;
  stats(): MappingStats;
}
