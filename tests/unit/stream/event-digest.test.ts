import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DIGEST_BYTES,
  idDigest,
  packDigests,
  unpackDigests,
} from '../../../stream-handlers/common/event-digest';

describe('event digests', () => {
  // Digests already stored (user rows, shard ledgers) must keep matching retries of their events.
  it.each(['6f1c2a4e-0b7d-4c59-9a43-2f8e1d0c7b65', 'client-évènement-✓-🙂', ''])(
    'is the first 9 bytes of the id SHA-1 of the UTF-8 bytes, as 12 base64url characters (%j)',
    (id) => {
      const sha1 = createHash('sha1').update(id, 'utf8').digest();
      expect(idDigest(id)).toBe(sha1.subarray(0, DIGEST_BYTES).toString('base64url'));
      expect(idDigest(id)).toHaveLength(12);
    },
  );

  it('packs digests end to end, in order, and unpacks them exactly', () => {
    const digests = ['a', 'b', 'c'].map(idDigest);
    const packed = packDigests(digests);
    expect(packed).toBeInstanceOf(Uint8Array);
    expect(packed.byteLength).toBe(27);
    expect(Buffer.from(packed.subarray(9, 18)).toString('base64url')).toBe(idDigest('b'));
    expect(unpackDigests(packed)).toEqual(digests);
  });

  it('unpacks from a view into a larger buffer, as a deserialiser may hand it over', () => {
    const packed = packDigests([idDigest('x'), idDigest('y')]);
    const outer = new Uint8Array(40);
    outer.set(packed, 7);
    expect(unpackDigests(outer.subarray(7, 25))).toEqual([idDigest('x'), idDigest('y')]);
  });

  it('reads nothing from an absent or empty value', () => {
    expect(unpackDigests(undefined)).toEqual([]);
    expect(unpackDigests(new Uint8Array())).toEqual([]);
    expect(packDigests([])).toEqual(new Uint8Array());
  });

  it('refuses what is not a digest or not a whole number of them', () => {
    expect(() => packDigests(['too-short'])).toThrow(/not an event digest/);
    expect(() => packDigests([`${idDigest('a')}AAAA`])).toThrow(/not an event digest/);
    expect(() => packDigests([idDigest('a'), 'AAAAAAAAAA=='])).toThrow(/not an event digest/);
    expect(() => packDigests(['AAAAAA!AAAAA'])).toThrow(/not an event digest/);
    expect(() => unpackDigests(new Uint8Array(10))).toThrow(/not a multiple of 9/);
  });
});
