import { rename } from 'node:fs/promises';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { putRecordsWithRetry } from '../../origin-lambdas/adapters/kinesis-event-stream';
import { FileDeadLetterSink, readDeadLetters } from './dead-letter';
import type { DeadLetterRecord } from './types';

export interface ReplayOptions {
  /** The dead-letter JSONL file a FileDeadLetterSink wrote. */
  file: string;
  kinesis: KinesisClient;
  streamName: string;
  now?: () => Date;
}

export interface ReplayResult {
  /** Records put back on the stream, in file order. */
  replayed: DeadLetterRecord[];
  /** Records Kinesis still rejected; they are written back to `file` for the next replay. */
  failed: DeadLetterRecord[];
  /** Where the original file went; undefined when there was nothing to replay. */
  movedTo?: string;
}

/**
 * Re-drives dead-lettered records: puts each record's bytes back on the stream with its partition
 * key, so the mapping delivers it again. The file is moved aside (`<file>.replayed-<timestamp>`)
 * before reading, so records dead-lettered meanwhile go to a fresh file and none is lost or replayed twice.
 */
export async function replayDeadLetters(opts: ReplayOptions): Promise<ReplayResult> {
  const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const movedTo = `${opts.file}.replayed-${stamp}`;
  try {
    await rename(opts.file, movedTo);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { replayed: [], failed: [] };
    throw err;
  }
  const records = await readDeadLetters(movedTo);
  const raw = records.map((r) => ({ data: Buffer.from(r.data, 'base64'), partitionKey: r.partitionKey }));
  const { failedIndexes } = await putRecordsWithRetry(opts.kinesis, opts.streamName, raw);
  const failedSet = new Set(failedIndexes);
  const failed = records.filter((_, i) => failedSet.has(i));
  await new FileDeadLetterSink(opts.file).put(failed);
  return { replayed: records.filter((_, i) => !failedSet.has(i)), failed, movedTo };
}
