import type { KinesisStreamRecord } from 'aws-lambda';
import { type StreamEvent, streamEventSchema } from '../../shared/schemas/event';
import { decodeEventRecord } from '../../shared/schemas/event-record';
import { eventPosition } from './sequence';

/** One delivered event with its stream position (shared/sequence.ts: `<sequence>[.<index>]`). */
export interface SequencedEvent {
  readonly event: StreamEvent;
  readonly sequenceNumber: string;
}

/**
 * Decodes a Kinesis record's base64 payload (one event, or several of one key) into validated
 * events with their positions, or throws why not. One invalid event fails the whole record: the
 * record is what Lambda retries and dead-letters.
 */
export function decodeRecordEvents(record: KinesisStreamRecord): SequencedEvent[] {
  const seq = record.kinesis.sequenceNumber;
  let values: unknown[];
  try {
    values = decodeEventRecord(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  } catch (err) {
    throw new Error(`record ${seq}: ${(err as Error).message}`);
  }
  return values.map((value, i) => {
    const parsed = streamEventSchema.safeParse(value);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
      const which = values.length > 1 ? ` ${i + 1} of ${values.length}` : '';
      throw new Error(`record ${seq}: invalid event${which} (${fields})`);
    }
    return { event: parsed.data, sequenceNumber: eventPosition(seq, i, values.length) };
  });
}
