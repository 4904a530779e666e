import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../shared/schemas/event';
import { decodeEventRecord, encodeEventRecords } from '../../../shared/schemas/event-record';
import { makeStreamEvent } from '../../helpers/events';

const text = (data: Uint8Array) => new TextDecoder().decode(data);
const ids = (data: Uint8Array) => (decodeEventRecord(data) as StreamEvent[]).map((e) => e.item_id);

describe('event records', () => {
  it("pack one key's events in order, keys in order of first appearance, a lone event as an object", () => {
    const events = [
      makeStreamEvent({ user_id: 'a', item_id: 'a1' }),
      makeStreamEvent({ user_id: 'b', item_id: 'b1' }),
      makeStreamEvent({ user_id: 'a', item_id: 'a2' }),
      makeStreamEvent({ user_id: undefined, anonymous_id: 'x', item_id: 'x1' }),
      makeStreamEvent({ user_id: 'a', item_id: 'a3' }),
    ];
    const records = encodeEventRecords(events);
    expect(records.map((r) => r.partitionKey)).toEqual(['a', 'b', 'anon:x']);
    expect(records.map((r) => r.eventIndexes)).toEqual([[0, 2, 4], [1], [3]]);
    expect(ids(records[0]!.data)).toEqual(['a1', 'a2', 'a3']);
    expect(text(records[0]!.data).startsWith('[{')).toBe(true);
    // A lone event is exactly the JSON of the event, as before records were packed.
    expect(text(records[1]!.data)).toBe(JSON.stringify(events[1]));
  });

  it('start a new record of the same key at the event or character limit', () => {
    const events = Array.from({ length: 5 }, (_, i) => makeStreamEvent({ user_id: 'a', item_id: `i${i}` }));
    const byCount = encodeEventRecords(events, { maxEvents: 2, maxChars: 1e6 });
    expect(byCount.map((r) => r.eventIndexes)).toEqual([[0, 1], [2, 3], [4]]);
    // Exactly room for the first three as an array: the fourth starts a new record.
    const three = JSON.stringify(events.slice(0, 3)).length;
    const byChars = encodeEventRecords(events, { maxEvents: 100, maxChars: three });
    expect(byChars.map((r) => r.eventIndexes)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(text(byChars[0]!.data).length).toBe(three);
    const tighter = encodeEventRecords(events, { maxEvents: 100, maxChars: three - 1 });
    expect(tighter.map((r) => r.eventIndexes)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('decode an object as one event and an array as its elements', () => {
    expect(decodeEventRecord('{"a":1}')).toEqual([{ a: 1 }]);
    expect(decodeEventRecord(new TextEncoder().encode('[{"a":1},{"a":2}]'))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('refuse a payload that is not JSON or an empty array', () => {
    expect(() => decodeEventRecord('{nope')).toThrow('payload is not JSON');
    expect(() => decodeEventRecord('[]')).toThrow('payload is an empty array');
  });
});
