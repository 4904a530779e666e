import type { KinesisStreamRecord } from 'aws-lambda';
import { decodeRecordEvents, type SequencedEvent } from './decode';
import { compareSequence } from './sequence';

export type { SequencedEvent } from './decode';

/** Lambda's record `eventID` is `<shardId>:<sequenceNumber>`. */
export function shardOf(record: KinesisStreamRecord): string {
  const id = record.eventID ?? '';
  const i = id.lastIndexOf(':');
  return i > 0 ? id.slice(0, i) : 'shard-unknown';
}

export interface DecodedPrefix {
  readonly shardId: string;
  /** The events of the records before the first undecodable one, in stream order. */
  readonly events: SequencedEvent[];
  /** By record sequence number: the first undecodable record and every record after it. */
  readonly failures: Map<string, Error>;
}

/**
 * Decodes a batch up to its first bad record. Aggregating handlers keep one watermark per shard,
 * so they must not apply anything past a record that will be redelivered.
 */
export function decodePrefix(records: readonly KinesisStreamRecord[]): DecodedPrefix {
  const sorted = [...records].sort((a, b) =>
    compareSequence(a.kinesis.sequenceNumber, b.kinesis.sequenceNumber),
  );
  const events: SequencedEvent[] = [];
  const failures = new Map<string, Error>();
  let failed: Error | undefined;
  for (const record of sorted) {
    const seq = record.kinesis.sequenceNumber;
    if (failed) {
      failures.set(seq, new Error(`after a failed record: ${failed.message}`));
      continue;
    }
    try {
      events.push(...decodeRecordEvents(record));
    } catch (err) {
      failed = err as Error;
      failures.set(seq, failed);
    }
  }
  return { shardId: sorted[0] ? shardOf(sorted[0]) : 'shard-unknown', events, failures };
}

/** Milliseconds from each event's client timestamp to `now`: the `event ts -> stored` latency. */
export function lagsMs(events: readonly SequencedEvent[], now: number): number[] {
  return events.map((e) => Math.max(0, now - Date.parse(e.event.ts)));
}
