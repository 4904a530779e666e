import { describe, expect, it } from 'vitest';
import { parseEventBatch } from '../../../shared/schemas/event-batch';
import { makeEvent } from '../../helpers/events';

describe('parseEventBatch', () => {
  it('accepts the good events of a mixed batch, keeps their positions, and names the bad fields', () => {
    const good = makeEvent();
    const bad = { ...makeEvent(), type: 'teleport' };
    const good2 = makeEvent();
    const r = parseEventBatch(JSON.stringify([good, bad, good2]));
    if (r.kind !== 'parsed') throw new Error(r.kind);
    expect(r.accepted.map((e) => e.event_id)).toEqual([good.event_id, good2.event_id]);
    expect(r.acceptedIndexes).toEqual([0, 2]);
    expect(r.rejected).toEqual([
      { index: 1, event_id: bad.event_id, errors: [expect.objectContaining({ field: 'type' })] },
    ]);
    expect(r.issues.map((i) => i.path.join('.'))).toEqual(['1.type']);
  });

  it('takes a single event object', () => {
    const r = parseEventBatch(JSON.stringify(makeEvent()));
    expect(r.kind === 'parsed' && r.accepted.length).toBe(1);
  });

  it('tells malformed, empty and oversized bodies apart', () => {
    expect(parseEventBatch('{"a":').kind).toBe('malformed');
    expect(parseEventBatch('[]')).toEqual({ kind: 'empty' });
    expect(parseEventBatch(JSON.stringify(Array.from({ length: 501 }, () => makeEvent())))).toEqual({
      kind: 'too-many',
      count: 501,
    });
  });
});
