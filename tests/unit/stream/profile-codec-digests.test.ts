import { describe, expect, it } from 'vitest';
import type { UserState } from '../../../shared/ports/user-state-store';
import { idDigest, packDigests, unpackDigests } from '../../../stream-handlers/common/event-digest';
import { applyUserEvents } from '../../../stream-handlers/user-state/apply';
import { decodeProfile, encodeProfile } from '../../../stream-handlers/user-state/profile-codec';
import { makeStreamEvent, seq } from '../../helpers/events';

const now = () => new Date('2026-11-24T12:00:00Z');

/** A row as written before the digests: the raw client ids, oldest first. */
function legacyRow(ids: readonly string[]): UserState {
  return {
    user_id: 'u-old',
    event_count: ids.length,
    recent_items: ['i1'],
    recent_event_ids: ids,
    watermark: seq(ids.length),
    version: 4,
  } as unknown as UserState;
}

describe('profile codec: recent event digests', () => {
  it('round-trips the packed digests byte for byte', () => {
    const digests = ['e1', 'e2', 'e3'].map(idDigest);
    const p = {
      user_id: 'u',
      event_count: 3,
      recent_items: [],
      recent_event_digests: packDigests(digests),
      version: 2,
    };
    const back = decodeProfile(encodeProfile(p));
    expect(back).toEqual(p);
    expect(unpackDigests(back?.recent_event_digests)).toEqual(digests);
  });

  it('reads a row written with raw ids as their digests, in order, and writes it back without the ids', () => {
    const ids = ['6f1c2a4e-0b7d-4c59-9a43-2f8e1d0c7b65', 'e-2', 'e-3'];
    const decoded = decodeProfile(legacyRow(ids));
    expect(decoded).not.toHaveProperty('recent_event_ids');
    expect(unpackDigests(decoded?.recent_event_digests)).toEqual(ids.map(idDigest));
    const written = encodeProfile(decoded!) as unknown as Record<string, unknown>;
    expect(written).not.toHaveProperty('recent_event_ids');
    expect(written.recent_event_digests).toEqual(packDigests(ids.map(idDigest)));
  });

  it('reads an old row with an empty id list as one without digests', () => {
    expect(decodeProfile(legacyRow([]))).not.toHaveProperty('recent_event_digests');
  });

  it('still stops a client retry of an event recorded in the old format, and applies a new one', () => {
    const old = makeStreamEvent({ user_id: 'u-old', item_id: 'i-old' });
    const row = legacyRow(['e-a', old.event_id, 'e-b']);
    const retried = applyUserEvents('u-old', decodeProfile(row), [{ event: old, sequenceNumber: seq(10) }], {
      now,
    });
    expect(retried?.event_count).toBe(3);
    expect(retried?.recent_items).toEqual(['i1']);
    expect(retried?.watermark).toBe(seq(10));
    const fresh = makeStreamEvent({ user_id: 'u-old', item_id: 'i-new' });
    const applied = applyUserEvents('u-old', retried, [{ event: fresh, sequenceNumber: seq(11) }], { now });
    expect(applied?.event_count).toBe(4);
    expect(unpackDigests(applied?.recent_event_digests)).toEqual(
      ['e-a', old.event_id, 'e-b', fresh.event_id].map(idDigest),
    );
  });
});
