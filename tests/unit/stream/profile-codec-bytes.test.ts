import { describe, expect, it } from 'vitest';
import type { UserState } from '../../../shared/ports/user-state-store';
import type { UserProfile } from '../../../stream-handlers/user-state/profile';
import { decodeProfile, encodeProfile } from '../../../stream-handlers/user-state/profile-codec';

const profile: UserProfile = {
  user_id: 'u',
  event_count: 2,
  recent_items: ['a'],
  version: 3,
  taste: { sum: [0.1, -1 / 3, 2], at: 7 },
  embedding: [0.5, -0.25, 0.125],
  affinities: { scores: { books: 1.5, music: -0.5, gone: 1e-120 }, at: 7 },
  mood: [0.2, 1e-120, 0, -0.1],
  sessions: {
    s1: {
      started_at: '2026-11-20T00:00:00.000Z',
      last_event_at: '2026-11-20T00:01:00.000Z',
      event_count: 2,
      recent_items: ['a'],
      vector: [1, 0.5, -2],
      category_counts: { books: 2, old: 1e-120 },
    },
  },
};

/** `bytes` copied into a larger buffer at `offset`, as a store might hand out a slice of one. */
function at(bytes: Uint8Array, offset: number): Uint8Array {
  const big = new Uint8Array(bytes.byteLength + offset + 3);
  big.set(bytes, offset);
  return big.subarray(offset, offset + bytes.byteLength);
}

describe('profile codec: vectors as bytes', () => {
  it('writes weights too small for DynamoDB as zero or not at all, and reads everything else back', () => {
    const row = encodeProfile(profile) as unknown as Record<string, unknown>;
    expect(row.affinities).toEqual({ scores: { books: 1.5, music: -0.5 }, at: 7 });
    expect(row.mood).toEqual([0.2, 0, 0, -0.1]);
    const back = decodeProfile(row as unknown as UserState);
    expect(back?.taste).toEqual(profile.taste);
    expect(back?.embedding).toEqual([0.5, -0.25, 0.125]);
    expect(back?.sessions?.s1).toEqual({ ...profile.sessions?.s1, category_counts: { books: 2 } });
  });

  it('writes each vector as the bytes of its own float array', () => {
    const row = encodeProfile(profile) as unknown as Record<string, unknown>;
    const bytes = (x: ArrayLike<number>) => Array.from(x as Uint8Array);
    expect(bytes((row.taste as { sum: Uint8Array }).sum)).toEqual(
      bytes(new Uint8Array(new Float64Array([0.1, -1 / 3, 2]).buffer)),
    );
    expect(bytes(row.embedding as Uint8Array)).toEqual(
      bytes(new Uint8Array(new Float32Array([0.5, -0.25, 0.125]).buffer)),
    );
    const s1 = (row.sessions as Record<string, { vector: Uint8Array }>).s1;
    expect(bytes(s1?.vector as Uint8Array)).toEqual(
      bytes(new Uint8Array(new Float32Array([1, 0.5, -2]).buffer)),
    );
  });

  it('reads vectors whose bytes sit at any offset of a larger buffer', () => {
    const row = encodeProfile(profile) as unknown as Record<string, unknown>;
    const taste = row.taste as { sum: Uint8Array; at: number };
    const sessions = row.sessions as Record<string, Record<string, unknown>>;
    for (const offset of [0, 1, 4, 5]) {
      const moved = {
        ...row,
        taste: { ...taste, sum: at(taste.sum, offset) },
        embedding: at(row.embedding as Uint8Array, offset),
        sessions: { s1: { ...sessions.s1, vector: at(sessions.s1?.vector as Uint8Array, offset) } },
      } as unknown as UserState;
      const back = decodeProfile(moved);
      expect(back?.taste?.sum).toEqual([0.1, -1 / 3, 2]);
      expect(back?.embedding).toEqual([0.5, -0.25, 0.125]);
      expect(back?.sessions?.s1?.vector).toEqual([1, 0.5, -2]);
    }
  });

  it('keeps the row apart from the profile it was written from', () => {
    const row = encodeProfile(profile) as unknown as { affinities: { scores: Record<string, number> } };
    row.affinities.scores.books = 99;
    expect(profile.affinities?.scores.books).toBe(1.5);
  });
});
