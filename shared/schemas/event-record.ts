import { chunkBySize } from '../chunk';
import { partitionKeyOf, type StreamEvent } from './event';

/**
 * The payload of one stream record: one event as a JSON object, or several events of one
 * partition key as a JSON array, in the order they were sent. A Kinesis shard takes 1,000 records
 * a second; packing a request's events per key lets one shard carry more events than that, and a
 * record keeps exactly the routing and order its events would have had alone.
 */
export const EVENT_RECORD_LIMITS = {
  /** Events in one record. */
  maxEvents: 100,
  /**
   * Characters of one record's JSON (UTF-8 takes at most 3 bytes each, far under Kinesis's 1 MiB
   * per record); kept small so a retried record is cheap.
   */
  maxChars: 64 * 1024,
} as const;

export interface EventRecord {
  readonly data: Uint8Array;
  readonly partitionKey: string;
  /** Indexes, in the input, of the events this record carries, in order. */
  readonly eventIndexes: readonly number[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Packs events into records: one key's events go together, in input order, up to the limits; a
 * lone event stays a plain JSON object. Records follow the order in which their keys first
 * appear, and one key's records keep their order.
 */
export function encodeEventRecords(
  events: readonly StreamEvent[],
  limits: { readonly maxEvents: number; readonly maxChars: number } = EVENT_RECORD_LIMITS,
): EventRecord[] {
  const byKey = new Map<string, { index: number; json: string }[]>();
  events.forEach((event, index) => {
    const key = partitionKeyOf(event);
    const group = byKey.get(key) ?? [];
    group.push({ index, json: JSON.stringify(event) });
    byKey.set(key, group);
  });
  const records: EventRecord[] = [];
  for (const [partitionKey, group] of byKey) {
    // In an array each event brings a comma or the opening bracket, and the closing one comes once.
    for (const chunk of chunkBySize(group, (e) => e.json.length + 1, {
      maxCount: limits.maxEvents,
      maxBytes: limits.maxChars - 1,
    })) {
      const text =
        chunk.length === 1 ? (chunk[0]?.json as string) : `[${chunk.map((e) => e.json).join(',')}]`;
      records.push({ data: encoder.encode(text), partitionKey, eventIndexes: chunk.map((e) => e.index) });
    }
  }
  return records;
}

/**
 * The events a record carries, parsed but not validated: one for an object, each element of an
 * array. Throws for a payload that is not JSON or is an empty array.
 */
export function decodeEventRecord(data: Uint8Array | string): unknown[] {
  const text = typeof data === 'string' ? data : decoder.decode(data);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('payload is not JSON');
  }
  if (!Array.isArray(json)) return [json];
  if (json.length === 0) throw new Error('payload is an empty array');
  return json;
}
