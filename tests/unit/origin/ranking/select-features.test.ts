import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFeatureMatrix,
  FeatureSchemaError,
  selectFeatures,
  selectFeaturesOrThrow,
} from '../../../../shared/ranking/select-features';

const declared = ['a', 'b', 'c'];

describe('selectFeatures', () => {
  it('passes an exact match through as float32', () => {
    const s = selectFeatures({ feature_names: declared, rows: 2, features: [1, 2, 3, 4, 5, 6] }, declared);
    expect(s).toEqual({ ok: true, rows: 2, matrix: Float32Array.from([1, 2, 3, 4, 5, 6]) });
  });

  it('picks the declared columns by name from a reordered superset', () => {
    const s = selectFeatures(
      { feature_names: ['x', 'c', 'a', 'y', 'b'], rows: 2, features: [9, 3, 1, 9, 2, 8, 6, 4, 8, 5] },
      declared,
    );
    expect(s).toEqual({ ok: true, rows: 2, matrix: Float32Array.from([1, 2, 3, 4, 5, 6]) });
  });

  it('names every missing declared feature', () => {
    const s = selectFeatures({ feature_names: ['b', 'z'], rows: 1, features: [1, 2] }, declared);
    expect(s).toEqual({
      ok: false,
      field: 'feature_names',
      message: 'missing declared feature(s) [a, c]; the model declares [a, b, c]',
      missing: ['a', 'c'],
      duplicates: [],
    });
  });

  it('refuses duplicated names, even when every declared one is present', () => {
    const s = selectFeatures(
      { feature_names: ['a', 'b', 'c', 'a'], rows: 1, features: [1, 2, 3, 4] },
      declared,
    );
    expect(s).toMatchObject({
      ok: false,
      field: 'feature_names',
      message: 'duplicated feature name(s) [a]',
      duplicates: ['a'],
    });
  });

  it('refuses a matrix that is not rows x names', () => {
    expect(checkFeatureMatrix({ feature_names: ['a', 'b'], rows: 2, features: [1, 2, 3] })).toMatchObject({
      field: 'features',
      message: 'expected 2 x 2 = 4 values, got 3',
    });
    expect(
      checkFeatureMatrix({ feature_names: ['a', 'b'], rows: 2, features: [1, 2, 3, 4] }),
    ).toBeUndefined();
  });

  it('throws a FeatureSchemaError carrying the failure', () => {
    expect(() => selectFeaturesOrThrow({ feature_names: ['a'], rows: 1, features: [1] }, declared)).toThrow(
      new FeatureSchemaError({
        ok: false,
        field: 'feature_names',
        message: 'missing declared feature(s) [b, c]; the model declares [a, b, c]',
        missing: ['b', 'c'],
        duplicates: [],
      }),
    );
  });

  it('selects the same matrix from any shuffled superset as from the exact request', () => {
    const value = fc.float({ noNaN: true, min: -10, max: 10 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((rows) =>
          fc.record({
            rows: fc.constant(rows),
            exact: fc.array(value, { minLength: rows * 3, maxLength: rows * 3 }),
            extra: fc.uniqueArray(fc.constantFrom('p', 'q', 'r', 's'), { maxLength: 4 }),
            seed: fc.integer(),
          }),
        ),
        ({ rows, exact, extra, seed }) => {
          const names = [...declared, ...extra];
          // Deterministic shuffle of the column order.
          const order = names.map((_, i) => i).sort((i, j) => ((i * 31 + seed) % 7) - ((j * 31 + seed) % 7));
          const shuffledNames = order.map((i) => names[i] as string);
          const features: number[] = [];
          for (let r = 0; r < rows; r++) {
            for (const i of order) features.push(i < 3 ? (exact[r * 3 + i] as number) : 42);
          }
          const got = selectFeatures({ feature_names: shuffledNames, rows, features }, declared);
          const want = selectFeatures({ feature_names: declared, rows, features: exact }, declared);
          expect(got).toEqual(want);
        },
      ),
    );
  });
});
