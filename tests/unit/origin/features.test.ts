import { describe, expect, it } from 'vitest';
import { buildFeatures, featureMatrix } from '../../../origin-lambdas/recommend/features';
import type { CatalogItem } from '../../../shared/ports/item-catalog';
import { FEATURE_CATALOG } from '../../../shared/schemas/features';

const NOW = Date.parse('2026-11-23T00:00:00Z');
const item = (
  id: string,
  category: string,
  popularity: number,
  ageDays: number,
  embedding: number[],
): CatalogItem => ({
  item_id: id,
  title: `Title ${id}`,
  category,
  modality: 'image',
  price: 10,
  popularity,
  created_at: new Date(NOW - ageDays * 86_400_000).toISOString(),
  available: true,
  embedding,
});

describe('buildFeatures', () => {
  it('computes popularity, freshness, affinity and similarity in schema order', () => {
    const a = item('a', 'shoes', 99, 0, [1, 0]);
    const b = item('b', 'books', 9, 30, [0, 1]);
    const recent = [item('r1', 'shoes', 1, 0, [1, 0]), item('r2', 'shoes', 1, 0, [1, 0])];
    const rows = buildFeatures([a, b], { recentItems: recent }, NOW);
    expect(rows.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(rows[4]).toBeCloseTo(Math.log1p(9) / Math.log1p(99), 10);
    expect(rows[5]).toBeCloseTo(0.5, 10);
    expect(rows[6]).toBe(0);
    expect(rows[7]).toBe(0);
  });

  it('gives zero affinity and similarity to a user without history', () => {
    const rows = buildFeatures([item('a', 'shoes', 5, 0, [1, 0])], { recentItems: [] }, NOW);
    expect(rows.slice(2)).toEqual([0, 0]);
  });
});

describe('featureMatrix', () => {
  const col = (name: (typeof FEATURE_CATALOG)[number]) => FEATURE_CATALOG.indexOf(name);
  const width = FEATURE_CATALOG.length;

  it('computes every named feature, the first four exactly as buildFeatures does', () => {
    const a = { ...item('a', 'shoes', 99, 0, [1, 0]), price: 40 };
    const b = { ...item('b', 'books', 9, 30, [0, 1]), price: 10 };
    const recent = [item('r1', 'shoes', 1, 0, [1, 0])];
    const rows = featureMatrix(
      [a, b],
      {
        recentItems: recent,
        sessionVector: [0, 1],
        mood: [0.5, 0.5, 0, 0],
        trends: new Map([['a', { score: 0.8, ctr: 0.2 }]]),
        retrieval: new Map([['a', { source: 'content' as const, score: 0.9 }]]),
      },
      NOW,
    );
    expect(rows).toHaveLength(2 * width);
    expect(rows.slice(0, 4)).toEqual(buildFeatures([a, b], { recentItems: recent }, NOW).slice(0, 4));
    expect(rows[col('ctr')]).toBe(0.2);
    expect(rows[width + col('ctr')]).toBe(1 / 20);
    expect(rows[col('trending')]).toBe(0.8);
    // Price 40 against a usual 10 is a factor of 4: the edge of fitting.
    expect(rows[col('price_fit')]).toBeCloseTo(0, 10);
    expect(rows[width + col('price_fit')]).toBe(1);
    expect(rows[col('session_similarity')]).toBe(0);
    expect(rows[width + col('session_similarity')]).toBeCloseTo(1, 10);
    expect(rows[col('retrieval_score')]).toBe(0.9);
    expect(rows[col('src_content')]).toBe(1);
    expect(rows[col('src_popular')]).toBe(0);
    expect(rows[width + col('src_popular')]).toBe(1);
    // An engaged, non-skipping user matches what is similar to their taste.
    expect(rows[col('mood_match')]).toBeCloseTo(1, 10);
    expect(rows[width + col('mood_match')]).toBe(0);
  });

  it('selects and orders columns by name', () => {
    const a = item('a', 'shoes', 5, 0, [1, 0]);
    expect(featureMatrix([a], { recentItems: [] }, NOW, ['freshness', 'ctr'])).toEqual([1, 1 / 20]);
  });
});
