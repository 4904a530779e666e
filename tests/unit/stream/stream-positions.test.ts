import { describe, expect, it } from 'vitest';
import { decodeRecordEvents } from '../../../stream-handlers/common/decode';
import { decodePrefix } from '../../../stream-handlers/common/delivered';
import { failuresByRecord } from '../../../stream-handlers/common/kinesis-handler';
import {
  compareSequence,
  eventPosition,
  padSequence,
  recordSequence,
} from '../../../stream-handlers/common/sequence';
import { kinesisRecord, makeStreamEvent, seq } from '../../helpers/events';

describe('event positions', () => {
  it("name a lone event by its record's sequence number and a packed one by its index too", () => {
    expect(eventPosition('123', 0, 1)).toBe('123');
    expect(eventPosition('123', 2, 3)).toBe('123.00002');
    expect(recordSequence('123.00002')).toBe('123');
    expect(recordSequence('123')).toBe('123');
  });

  it('order by sequence number, numerically, then by index within a record', () => {
    const sorted = ['99', '99.00000', '99.00001', '99.00010', '100', '100.00000', '1000'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareSequence)).toEqual(sorted);
    expect(compareSequence('99.00001', '99.00001')).toBe(0);
  });

  it('pad so that string order, as DynamoDB compares, is the same order', () => {
    const positions = ['7', '7.00003', '7.00012', '65', '65.00000', '100', '100.00099', '1001'];
    const padded = positions.map(padSequence);
    expect([...padded].sort()).toEqual(padded);
    expect(padSequence('7.00003')).toBe(`${'7'.padStart(128, '0')}.00003`);
  });

  it("fail a record with the first of its events' errors", () => {
    const a = new Error('a');
    const b = new Error('b');
    const c = new Error('c');
    const byRecord = failuresByRecord(
      new Map([
        ['50.00002', b],
        ['50.00001', a],
        ['60', c],
      ]),
    );
    expect([...byRecord]).toEqual([
      ['50', a],
      ['60', c],
    ]);
  });
});

describe('decoding packed records', () => {
  it('gives every event of a packed record its position, and a lone event its sequence number', () => {
    const events = [makeStreamEvent(), makeStreamEvent(), makeStreamEvent()];
    const packed = decodeRecordEvents(kinesisRecord(events, seq(5)));
    expect(packed.map((e) => e.sequenceNumber)).toEqual([
      `${seq(5)}.00000`,
      `${seq(5)}.00001`,
      `${seq(5)}.00002`,
    ]);
    expect(packed.map((e) => e.event.event_id)).toEqual(events.map((e) => e.event_id));
    expect(decodeRecordEvents(kinesisRecord(events[0], seq(6))).map((e) => e.sequenceNumber)).toEqual([
      seq(6),
    ]);
  });

  it('fails the whole record when one of its events is invalid, naming which', () => {
    const bad = { ...makeStreamEvent(), type: 'teleport' };
    expect(() =>
      decodeRecordEvents(kinesisRecord([makeStreamEvent(), bad, makeStreamEvent()], seq(7))),
    ).toThrow(`record ${seq(7)}: invalid event 2 of 3 (type)`);
  });

  it('decodes a batch of lone and packed records in stream order up to the first bad record', () => {
    const [a, b, c, d] = [makeStreamEvent(), makeStreamEvent(), makeStreamEvent(), makeStreamEvent()];
    const out = decodePrefix([
      kinesisRecord(d, seq(4)),
      kinesisRecord([b, c], seq(2)),
      kinesisRecord(a, seq(1)),
      kinesisRecord('not json', seq(3)),
    ]);
    expect(out.events.map((e) => e.event.event_id)).toEqual([a, b, c].map((e) => e.event_id));
    expect([...out.failures.keys()]).toEqual([seq(3), seq(4)]);
  });
});
