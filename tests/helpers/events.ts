import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { AttuneEvent, StreamEvent } from '../../shared/schemas/event';

let counter = 0;

/** A valid event with overridable fields; ids are unique per call. */
export function makeEvent(overrides: Partial<AttuneEvent> = {}): AttuneEvent {
  counter++;
  return {
    event_id: `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`,
    user_id: 'user-1',
    session_id: 'session-1',
    type: 'click',
    item_id: `item-${counter}`,
    surface: 'home',
    ts: new Date().toISOString(),
    ...overrides,
  };
}

export function makeStreamEvent(overrides: Partial<AttuneEvent> = {}): StreamEvent {
  return { ...makeEvent(overrides), received_at: new Date().toISOString() };
}

/** Sequence numbers shaped like Kinesis's: same-length decimal strings. */
export function seq(n: number): string {
  return `4959${String(n).padStart(52, '0')}`;
}

/** A Kinesis record as Lambda delivers it, carrying `payload` as base64 JSON. */
export function kinesisRecord(
  payload: unknown,
  sequenceNumber: string,
  partitionKey = 'user-1',
): KinesisStreamRecord {
  return {
    awsRegion: 'us-east-1',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/test',
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      approximateArrivalTimestamp: Date.now() / 1000,
      data: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64'),
    },
  };
}

export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}
