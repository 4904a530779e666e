import { describe, expect, it } from 'vitest';
import { FloatBytes } from '../../../stream-handlers/user-state/float-bytes';

describe('FloatBytes', () => {
  it('cuts each vector as the bytes its own float array would have, one after the other', () => {
    const bytes = new FloatBytes(8 * 2 + 4 * 3 + 4 * 0);
    const a = bytes.f64([1 / 3, -2]);
    const b = bytes.f32([0.1, 5, -1]);
    const c = bytes.f32([]);
    expect(Array.from(a)).toEqual(Array.from(new Uint8Array(new Float64Array([1 / 3, -2]).buffer)));
    expect(Array.from(b)).toEqual(Array.from(new Uint8Array(new Float32Array([0.1, 5, -1]).buffer)));
    expect(c.byteLength).toBe(0);
    expect([a.byteOffset, b.byteOffset]).toEqual([0, 16]);
  });

  it('refuses a float64 vector where it would not be aligned', () => {
    const bytes = new FloatBytes(4 + 8);
    bytes.f32([1]);
    expect(() => bytes.f64([1])).toThrow(/float64 vectors must come before float32 ones/);
  });

  it('refuses vectors past the size it was made for', () => {
    expect(() => new FloatBytes(8).f32([1, 2, 3])).toThrow(RangeError);
  });
});
