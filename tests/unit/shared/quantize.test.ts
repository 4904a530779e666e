import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dequantizeVector, quantizedCosine, quantizeVector } from '../../../shared/embedding/quantize';
import { cosine } from '../../../shared/vector-math';

describe('vector quantization', () => {
  it('round-trips any vector within scale/254 per component', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 256 }),
        (v) => {
          const back = dequantizeVector(quantizeVector(v));
          const scale = Math.max(...v.map(Math.abs));
          expect(back).toHaveLength(v.length);
          back.forEach((x, i) => {
            expect(Math.abs(x - (v[i] as number))).toBeLessThanOrEqual(scale / 254 + scale * 1e-6 + 1e-9);
          });
        },
      ),
    );
  });

  it('keeps cosine similarity to within 0.02 on 32-d vectors, in 48 characters', () => {
    const a = Array.from({ length: 32 }, (_, i) => Math.sin(i + 1));
    const b = Array.from({ length: 32 }, (_, i) => Math.cos(i * 0.7));
    const qa = quantizeVector(a);
    expect(qa).toHaveLength(48);
    expect(
      Math.abs(cosine(dequantizeVector(qa), dequantizeVector(quantizeVector(b))) - cosine(a, b)),
    ).toBeLessThan(0.02);
  });

  it('encodes zero and non-finite components as 0, and decodes garbage to an empty vector', () => {
    expect(dequantizeVector(quantizeVector([0, 0, 0]))).toEqual([0, 0, 0]);
    expect(dequantizeVector(quantizeVector([1, Number.NaN, -1]))).toEqual([1, 0, -1]);
    expect(dequantizeVector('not base64 !!')).toEqual([]);
    expect(dequantizeVector('')).toEqual([]);
  });

  it('quantizedCosine equals the cosine with the decoded vector, without decoding it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 64 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 64 }),
        (query, v) => {
          const text = quantizeVector(v);
          expect(quantizedCosine(query, text)).toBeCloseTo(cosine(query, dequantizeVector(text)), 9);
        },
      ),
    );
  });

  it('quantizedCosine is 0 for a zero vector or a corrupt one, as cosine is for no vector', () => {
    expect(quantizedCosine([1, 2], quantizeVector([0, 0]))).toBe(0);
    expect(quantizedCosine([1, 2], 'not base64 !!')).toBe(0);
    expect(quantizedCosine([1, 2], '')).toBe(0);
    expect(quantizedCosine([1, 0], quantizeVector([3, 0]))).toBeCloseTo(1, 12);
    expect(quantizedCosine([1, 0], quantizeVector([-2, 0]))).toBeCloseTo(-1, 12);
  });
});
