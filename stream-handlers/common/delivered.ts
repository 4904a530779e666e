import type { KinesisStreamRecord } from 'aws-lambda';
import type { StreamEvent } from '../../shared/schemas/event';
import { decodeRecord } from './decode';
import { compareSequence } from './sequence';

/** One delivered event with the stream position it came from. */
export interface SequencedEvent {
  readonly event: StreamEvent;
  readonly sequenceNumber: string;
}

/** Lambda's record `eventID` is `<shardId>:<sequenceNumber>`. */
export function shardOf(record: KinesisStreamRecord): string {
  const id = record.eventID ?? '';
  const i = id.lastIndexOf(':');
  return i > 0 ? id.slice(0, i) : 'shard-unknown';
}

export interface DecodedPrefix {
  readonly shardId: string;
  /** The records before the first undecodable one, in sequence order. */
  readonly events: SequencedEvent[];
  /** The first undecodable record and everything after it: Lambda redelivers from there. */
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
      events.push({ event: decodeRecord(record), sequenceNumber: seq });
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
