import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RANKER_VARIANT,
  rankerVariantName,
  VARIANT_NAME_PATTERN,
} from '../../../shared/ranking/model-variant';

describe('rankerVariantName', () => {
  it('keeps a version that already is a valid variant name', () => {
    expect(rankerVariantName('v2')).toBe('v2');
    expect(rankerVariantName('attune-20250101T120000')).toBe('attune-20250101T120000');
    expect(rankerVariantName('linear-default-v1')).toBe('linear-default-v1');
    expect(rankerVariantName('a'.repeat(63))).toBe('a'.repeat(63));
  });

  it('hashes versions with other characters, so look-alikes stay apart', () => {
    expect(rankerVariantName('v1.2')).toBe('v1-2-f67fe000');
    expect(rankerVariantName('v1_2')).toMatch(/^v1-2-[0-9a-f]{8}$/);
    expect(rankerVariantName('v1_2')).not.toBe(rankerVariantName('v1.2'));
    expect(rankerVariantName('___')).toMatch(/^model-[0-9a-f]{8}$/);
    expect(rankerVariantName('-v3-')).toMatch(/^v3-[0-9a-f]{8}$/);
  });

  it('cuts long versions to 63 characters and never lands on the default variant', () => {
    const long = rankerVariantName('a'.repeat(70));
    expect(long).toHaveLength(63);
    expect(long.startsWith(`${'a'.repeat(54)}-`)).toBe(true);
    expect(rankerVariantName('AllTraffic')).toMatch(/^AllTraffic-[0-9a-f]{8}$/);
    expect(rankerVariantName('alltraffic')).not.toBe(DEFAULT_RANKER_VARIANT);
  });

  it('always answers a valid, stable SageMaker variant name for any safe version', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,128}$/), (version) => {
        const name = rankerVariantName(version);
        expect(name).toMatch(VARIANT_NAME_PATTERN);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(rankerVariantName(version)).toBe(name);
      }),
    );
  });
});
