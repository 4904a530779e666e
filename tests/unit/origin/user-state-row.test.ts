import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  fromStateItem,
  PROFILE_ATTR,
  toStateItem,
  unpackStateRows,
} from '../../../origin-lambdas/adapters/user-state-row';
import type { UserState } from '../../../shared/ports/user-state-store';

const state = {
  user_id: 'u1',
  version: 7,
  event_count: 12,
  watermark: '4959000000000000000000000000000000000000000000000000012.00003',
  updated_at: '2026-11-24T07:00:00.000Z',
  recent_items: ['i3', 'i1'],
  recent_event_digests: Uint8Array.from([1, 2, 3, 250, 251, 252, 253, 254, 255]),
  affinities: { scores: { shoes: 0.75, books: -0.125 }, at: 1764000000000 },
  sessions: { s1: { event_count: 3, items: ['i3'], vector: Uint8Array.from([9, 8, 7]) } },
  mood: [0.1, -0.2, 0],
  embedding: [0.5, -0.25, 1e-7],
} as unknown as UserState;

describe('state rows', () => {
  it('keep keys, version and small scalars top-level and pack the rest into one deflated blob', () => {
    const item = toStateItem(state);
    expect(Object.keys(item).sort()).toEqual(
      ['event_count', 'facet', PROFILE_ATTR, 'updated_at', 'user_id', 'version', 'watermark'].sort(),
    );
    expect(item).toMatchObject({ user_id: 'u1', facet: 'state', version: 7, event_count: 12 });
    const blob = JSON.parse(inflateRawSync(item[PROFILE_ATTR] as Uint8Array).toString('utf8'));
    expect(Object.keys(blob).sort()).toEqual(
      ['affinities', 'embedding', 'mood', 'recent_event_digests', 'recent_items', 'sessions'].sort(),
    );
  });

  it('unpack to the same fields, bytes as bytes and numbers exact', () => {
    const back = fromStateItem(toStateItem(state));
    expect(back).toEqual({ ...state, facet: 'state' });
    expect(back.recent_event_digests).toBeInstanceOf(Uint8Array);
    expect((back.sessions as Record<string, { vector: Uint8Array }>).s1?.vector).toBeInstanceOf(Uint8Array);
  });

  it('pack a Buffer as bytes too, not as its toJSON form', () => {
    const withBuffer = { ...state, recent_event_digests: Buffer.from([4, 5, 6]) } as unknown as UserState;
    expect(fromStateItem(toStateItem(withBuffer)).recent_event_digests).toEqual(Uint8Array.from([4, 5, 6]));
  });

  it('read a row written before the blob as it is, and leave other facets alone', () => {
    const legacy = { user_id: 'u2', facet: 'state', version: 3, affinities: { scores: { a: 1 } } };
    const prefs = { user_id: 'u2', facet: 'prefs', segments: ['vip'] };
    expect(unpackStateRows([legacy, prefs])).toEqual([legacy, prefs]);
    expect(unpackStateRows([toStateItem(state), prefs])[0]).toMatchObject({
      affinities: { scores: { shoes: 0.75, books: -0.125 }, at: 1764000000000 },
    });
  });
});
