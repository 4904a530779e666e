import fc from 'fast-check';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LINEAR_RANKER,
  type LinearRankerSpec,
  scoreLinear,
  writeLinearRankerOnnx,
} from '../../../local/model-server/default-model';

async function runOnnx(spec: LinearRankerSpec, features: number[], rows: number): Promise<number[]> {
  const session = await ort.InferenceSession.create(writeLinearRankerOnnx(spec));
  try {
    const input = new ort.Tensor('float32', Float32Array.from(features), [rows, spec.featureNames.length]);
    const out = await session.run({ features: input });
    expect(out.scores?.dims).toEqual([rows, 1]);
    return Array.from(out.scores?.data as Float32Array);
  } finally {
    await session.release();
  }
}

describe('scoreLinear (reference)', () => {
  it('is the sigmoid of the weighted sum plus bias, row by row', () => {
    const { weights, bias } = DEFAULT_LINEAR_RANKER;
    const scores = scoreLinear(weights, bias, [0, 0, 0, 0, 1, 1, 1, 1, 0.5, 0, 1, 0], 3);
    expect(scores[0]).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
    expect(scores[1]).toBeCloseTo(1 / (1 + Math.exp(-3.2)), 12);
    expect(scores[2]).toBeCloseTo(1 / (1 + Math.exp(-0.6)), 12);
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => scoreLinear([1, 2], 0, [1, 2, 3], 2)).toThrow(/expected 4 feature values, got 3/);
  });
});

describe('writeLinearRankerOnnx', () => {
  it('declares the default features in order and ranks with the documented weights', () => {
    expect(DEFAULT_LINEAR_RANKER).toEqual({
      featureNames: ['popularity', 'freshness', 'affinity', 'similarity'],
      weights: [1.2, 0.4, 2.0, 1.6],
      bias: -2.0,
    });
  });

  it('matches the TypeScript reference within 1e-5 on random features (default model)', async () => {
    const rows = 257;
    const rand = mulberry32(42);
    const features = Array.from({ length: rows * 4 }, () => rand() * 2 - 0.5);
    const onnxScores = await runOnnx(DEFAULT_LINEAR_RANKER, features, rows);
    const reference = scoreLinear(DEFAULT_LINEAR_RANKER.weights, DEFAULT_LINEAR_RANKER.bias, features, rows);
    expect(onnxScores).toHaveLength(rows);
    onnxScores.forEach((s, i) => {
      expect(Math.abs(s - (reference[i] as number))).toBeLessThan(1e-5);
    });
  });

  it('matches the reference for arbitrary weights, biases and shapes', async () => {
    const finite = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });
    const case_ = fc
      .record({ f: fc.integer({ min: 1, max: 6 }), rows: fc.integer({ min: 1, max: 20 }) })
      .chain(({ f, rows }) =>
        fc.record({
          rows: fc.constant(rows),
          weights: fc.array(finite, { minLength: f, maxLength: f }),
          bias: finite,
          features: fc.array(finite, { minLength: rows * f, maxLength: rows * f }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(case_, async ({ rows, weights, bias, features }) => {
        const spec = { weights, bias, featureNames: weights.map((_, i) => `f${i}`) };
        const got = await runOnnx(spec, features, rows);
        const want = scoreLinear(weights, bias, features, rows);
        got.forEach((s, i) => {
          expect(Math.abs(s - (want[i] as number))).toBeLessThan(1e-5);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a weight count that differs from the feature count', () => {
    expect(() => writeLinearRankerOnnx({ weights: [1], bias: 0, featureNames: ['a', 'b'] })).toThrow(
      /1 weights for 2 features/,
    );
  });
});

/** Small seeded PRNG so the random-feature test is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
