import { describe, expect, it } from 'vitest';
import { idDigest, unpackDigests } from '../../../stream-handlers/common/event-digest';
import { compareSequence } from '../../../stream-handlers/common/sequence';
import { applyUserEvents } from '../../../stream-handlers/user-state/apply';
import { makeStreamEvent, seq } from '../../helpers/events';

const now = () => new Date('2026-11-23T12:00:00Z');

describe('compareSequence', () => {
  it('orders decimal strings numerically', () => {
    expect(compareSequence('9', '10')).toBe(-1);
    expect(compareSequence('100', '99')).toBe(1);
    expect(compareSequence(seq(5), seq(5))).toBe(0);
    expect(compareSequence(seq(5), seq(12))).toBe(-1);
  });
});

describe('applyUserEvents', () => {
  it('counts events, keeps recent engaged items newest first, and sets the watermark', () => {
    const e1 = makeStreamEvent({ type: 'view', item_id: 'a' });
    const e2 = makeStreamEvent({ type: 'impression', item_id: 'b' });
    const e3 = makeStreamEvent({ type: 'click', item_id: 'c' });
    const next = applyUserEvents(
      'user-1',
      undefined,
      [
        { event: e3, sequenceNumber: seq(3) },
        { event: e1, sequenceNumber: seq(1) },
        { event: e2, sequenceNumber: seq(2) },
      ],
      { now },
    );
    expect(next).toMatchObject({
      user_id: 'user-1',
      event_count: 3,
      recent_items: ['c', 'a'],
      last_event_type: 'click',
      watermark: seq(3),
      version: 1,
      updated_at: '2026-11-23T12:00:00.000Z',
    });
    expect(unpackDigests(next?.recent_event_digests)).toEqual([e1, e2, e3].map((e) => idDigest(e.event_id)));
  });

  it('ignores a redelivered batch at or below the watermark', () => {
    const e = makeStreamEvent();
    const once = applyUserEvents('user-1', undefined, [{ event: e, sequenceNumber: seq(1) }], { now });
    expect(applyUserEvents('user-1', once, [{ event: e, sequenceNumber: seq(1) }], { now })).toBeUndefined();
  });

  it('applies the same event id once even when it arrives as a second record', () => {
    const e = makeStreamEvent({ item_id: 'x' });
    const once = applyUserEvents('user-1', undefined, [{ event: e, sequenceNumber: seq(1) }], { now });
    const twice = applyUserEvents('user-1', once, [{ event: e, sequenceNumber: seq(2) }], { now });
    expect(twice?.event_count).toBe(1);
    expect(twice?.watermark).toBe(seq(2));
  });

  it('applies a retry once when it arrives in the same batch as the original', () => {
    const e = makeStreamEvent({ item_id: 'x' });
    const other = makeStreamEvent({ item_id: 'y' });
    const next = applyUserEvents(
      'user-1',
      undefined,
      [
        { event: e, sequenceNumber: seq(1) },
        { event: other, sequenceNumber: seq(2) },
        { event: e, sequenceNumber: seq(3) },
      ],
      { now },
    );
    expect(next?.event_count).toBe(2);
    expect(unpackDigests(next?.recent_event_digests)).toEqual([
      idDigest(e.event_id),
      idDigest(other.event_id),
    ]);
    expect(next?.watermark).toBe(seq(3));
  });

  it('forgets an id once it falls out of the bounded window, so only recent retries are stopped', () => {
    const first = makeStreamEvent();
    const later = Array.from({ length: 3 }, () => makeStreamEvent());
    const state = applyUserEvents(
      'user-1',
      undefined,
      [first, ...later].map((event, i) => ({ event, sequenceNumber: seq(i + 1) })),
      { now, recentEventIds: 3 },
    );
    const retry = applyUserEvents('user-1', state, [{ event: first, sequenceNumber: seq(9) }], {
      now,
      recentEventIds: 3,
    });
    expect(retry?.event_count).toBe(5);
  });

  it('records purchases, newest first, without repeats and bounded, for the purchased filter', () => {
    const events = ['p1', 'p2', 'p1', 'p3'].map((item_id, i) => ({
      event: makeStreamEvent({ type: 'purchase', item_id }),
      sequenceNumber: seq(i + 1),
    }));
    const view = { event: makeStreamEvent({ type: 'view', item_id: 'v1' }), sequenceNumber: seq(9) };
    const next = applyUserEvents('user-1', undefined, [...events, view], { now, purchasedItems: 2 });
    expect(next?.purchased).toEqual(['p3', 'p1']);
    expect(next?.recent_items).toEqual(['v1', 'p3', 'p1', 'p2']);
    const viewsOnly = applyUserEvents('user-2', undefined, [view], { now });
    expect(viewsOnly).not.toHaveProperty('purchased');
  });

  it('a hide removes the item from recent items', () => {
    const view = makeStreamEvent({ type: 'view', item_id: 'x' });
    const hide = makeStreamEvent({ type: 'hide', item_id: 'x' });
    const next = applyUserEvents('user-1', undefined, [
      { event: view, sequenceNumber: seq(1) },
      { event: hide, sequenceNumber: seq(2) },
    ]);
    expect(next?.recent_items).toEqual([]);
    expect(next?.event_count).toBe(2);
  });

  it('bounds recent items and remembered event ids', () => {
    const delivered = Array.from({ length: 30 }, (_, i) => ({
      event: makeStreamEvent({ item_id: `i${i}` }),
      sequenceNumber: seq(i + 1),
    }));
    const next = applyUserEvents('user-1', undefined, delivered, { recentItems: 5, recentEventIds: 10 });
    expect(next?.recent_items).toEqual(['i29', 'i28', 'i27', 'i26', 'i25']);
    expect(unpackDigests(next?.recent_event_digests)).toEqual(
      delivered.slice(-10).map((d) => idDigest(d.event.event_id)),
    );
    expect(next?.recent_event_digests?.byteLength).toBe(90);
    expect(next?.event_count).toBe(30);
  });
});
