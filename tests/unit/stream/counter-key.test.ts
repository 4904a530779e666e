import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyString } from '../../../stream-handlers/common/counter-writes';

describe('keyString', () => {
  it('joins name=value in name order, whatever order the key was built in', () => {
    expect(keyString({ scope: 'global', bucket: '2026-11-20T00:00:00.000Z' })).toBe(
      'bucket=2026-11-20T00:00:00.000Z|scope=global',
    );
    expect(keyString({ arm_id: 'item:i1', context: '*' })).toBe('arm_id=item:i1|context=*');
    expect(keyString({ user_id: 'u', facet: 'cap#c#2026-11-20', a: '1' })).toBe(
      'a=1|facet=cap#c#2026-11-20|user_id=u',
    );
    expect(keyString({})).toBe('');
  });

  it('gives a frozen key the same string every time, and an unfrozen one its current string', () => {
    const frozen = Object.freeze({ scope: 'cat#books', bucket: 'b1' });
    expect([keyString(frozen), keyString(frozen)]).toEqual([
      'bucket=b1|scope=cat#books',
      'bucket=b1|scope=cat#books',
    ]);
    const open: Record<string, string> = { scope: 'global', bucket: 'b1' };
    expect(keyString(open)).toBe('bucket=b1|scope=global');
    open.bucket = 'b2';
    expect(keyString(open)).toBe('bucket=b2|scope=global');
  });

  it('is the names sorted by code unit, as Array#sort sorts them', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string(), { maxKeys: 6 }), (key) => {
        const names = Object.keys(key).sort();
        expect(keyString(key)).toBe(names.map((n) => `${n}=${key[n]}`).join('|'));
      }),
    );
  });
});
