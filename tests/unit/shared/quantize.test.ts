import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dequantizeVector, quantizeVector } from '../../../shared/embedding/quantize';
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
});
