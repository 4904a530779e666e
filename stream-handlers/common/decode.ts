import type { KinesisStreamRecord } from 'aws-lambda';
import { type StreamEvent, streamEventSchema } from '../../shared/schemas/event';

/** Decodes a Kinesis record's base64 JSON payload into a validated stream event, or throws why not. */
export function decodeRecord(record: KinesisStreamRecord): StreamEvent {
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`record ${record.kinesis.sequenceNumber}: payload is not JSON`);
  }
  const parsed = streamEventSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new Error(`record ${record.kinesis.sequenceNumber}: invalid event (${fields})`);
  }
  return parsed.data;
}
