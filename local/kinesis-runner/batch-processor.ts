import type { _Record } from '@aws-sdk/client-kinesis';
import type { CheckpointStore } from './checkpoint-store';
import { errorText } from './error-text';
import { buildKinesisEvent, buildLambdaContext, type EventSource } from './lambda-event';
import {
  decide,
  firstFailedIndex,
  type InvokeOutcome,
  type RecordRange,
  type RetryPolicy,
} from './retry-plan';
import type { DeadLetterRecord, DeadLetterSink, KinesisHandler, MappingStats, RunnerLog } from './types';

export type Counters = Omit<MappingStats, 'checkpoints'>;

export const emptyCounters = (): Counters => ({
  batches: 0,
  recordsDelivered: 0,
  recordsSucceeded: 0,
  recordsFailed: 0,
  deadLettered: 0,
  retries: 0,
});

/** Everything one shard's batch needs; shared by every batch of the mapping. */
export interface BatchEnv {
  handler: KinesisHandler;
  policy: RetryPolicy;
  deadLetter: DeadLetterSink;
  checkpoints: CheckpointStore;
  counters: Counters;
  log: RunnerLog;
}

interface Invoked {
  outcome: InvokeOutcome;
  error?: string;
}

async function invoke(
  records: readonly _Record[],
  range: RecordRange,
  src: EventSource,
  env: BatchEnv,
): Promise<Invoked> {
  const slice = records.slice(range.start, range.end);
  env.counters.batches++;
  env.counters.recordsDelivered += slice.length;
  try {
    const res = await env.handler(buildKinesisEvent(slice, src), buildLambdaContext(src.functionName));
    const reported = (res?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    if (reported.length === 0) return { outcome: { kind: 'success' } };
    env.counters.recordsFailed += reported.length;
    const seqs = records.map((r) => r.SequenceNumber ?? '');
    const first = firstFailedIndex(seqs, range, reported);
    const error = `batchItemFailures: ${reported.join(', ')}`;
    if (first === undefined) return { outcome: { kind: 'error' }, error: `${error} (not in the batch)` };
    return { outcome: { kind: 'partial', firstFailed: first }, error };
  } catch (err) {
    env.counters.recordsFailed += slice.length;
    return { outcome: { kind: 'error' }, error: errorText(err) };
  }
}

function deadLetters(records: readonly _Record[], range: RecordRange, src: EventSource, error: string) {
  const failedAt = new Date().toISOString();
  return records.slice(range.start, range.end).map(
    (r): DeadLetterRecord => ({
      functionName: src.functionName,
      streamName: src.streamName,
      shardId: src.shardId,
      sequenceNumber: r.SequenceNumber ?? '',
      partitionKey: r.PartitionKey ?? '',
      data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
      error,
      attempts: range.attempts,
      failedAt,
    }),
  );
}

/**
 * Runs one fetched batch through the handler until every record has either succeeded or been
 * dead-lettered, strictly in order, checkpointing after each step forward. Throws only when the
 * dead-letter sink or the checkpoint store fails; the caller then resumes from the last checkpoint.
 */
export async function processBatch(records: readonly _Record[], src: EventSource, env: BatchEnv) {
  const queue: RecordRange[] = [{ start: 0, end: records.length, attempts: 0 }];
  let invocations = 0;
  let deadLettered = 0;
  while (queue.length > 0) {
    const range = queue.shift()!;
    // Every invocation after the first redelivers records after a failure.
    if (invocations > 0) env.counters.retries++;
    const { outcome, error } = await invoke(records, range, src, env);
    invocations++;
    const d = decide(range, outcome, env.policy);
    env.counters.recordsSucceeded += d.completedUpTo - range.start;
    if (d.completedUpTo > range.start) {
      await env.checkpoints.set(src.shardId, records[d.completedUpTo - 1]!.SequenceNumber!);
    }
    if (d.deadLetter) {
      const dl = deadLetters(records, d.deadLetter, src, error ?? 'unknown error');
      await env.deadLetter.put(dl);
      env.counters.deadLettered += dl.length;
      deadLettered += dl.length;
      env.log('dead-lettered records after retries', {
        shardId: src.shardId,
        sequenceNumbers: dl.map((r) => r.sequenceNumber),
        attempts: d.deadLetter.attempts,
        error,
      });
      await env.checkpoints.set(src.shardId, records[d.deadLetter.end - 1]!.SequenceNumber!);
    } else if (outcome.kind !== 'success') {
      env.log('batch failed, retrying', { shardId: src.shardId, error, next: d.next.length });
    }
    queue.unshift(...d.next);
  }
  return { invocations, deadLettered };
}
