import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestText, writeDigestText } from '../../../stream-handlers/common/digest-text';

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.! é';

describe('digest text', () => {
  it("is Node's base64url of the 9 bytes, at any offset", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 9, maxLength: 40 }), fc.nat(), (bytes, pick) => {
        const at = pick % (bytes.length - 8);
        expect(digestText(bytes, at)).toBe(Buffer.from(bytes.subarray(at, at + 9)).toString('base64url'));
      }),
      { numRuns: 500 },
    );
  });

  it("reads back exactly what Node's base64url decoder reads as 9 bytes, and refuses the rest", () => {
    const text = fc.string({ unit: fc.constantFrom(...CHARS), minLength: 10, maxLength: 14 });
    fc.assert(
      fc.property(text, (t) => {
        const node = Buffer.from(t, 'base64url');
        const out = new Uint8Array(12);
        const ok = writeDigestText(t, out, 2);
        expect(ok).toBe(t.length === 12 && node.length === 9);
        if (ok) expect(Buffer.from(out.subarray(2, 11))).toEqual(node);
      }),
      { numRuns: 2000 },
    );
  });
});
