import { describe, expect, it } from 'vitest';
import { buildFeatures } from '../../../origin-lambdas/recommend/features';
import { reasonFor } from '../../../origin-lambdas/recommend/reasons';
import type { CatalogItem } from '../../../shared/ports/item-catalog';

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

describe('reasonFor', () => {
  const shoe = item('a', 'shoes', 5, 0, [1, 0]);
  it('names the anchor item when similarity is high', () => {
    expect(reasonFor(shoe, [0.1, 0.1, 0, 0.9], item('r', 'shoes', 1, 0, [1, 0]))).toEqual({
      code: 'because_viewed',
      text: 'Because you viewed Title r',
    });
  });
  it('falls back through affinity, freshness and popularity', () => {
    expect(reasonFor(shoe, [0, 0, 0.5, 0], undefined).code).toBe('similar');
    expect(reasonFor(shoe, [0, 0.9, 0, 0], undefined).code).toBe('new');
    expect(reasonFor(shoe, [0.7, 0.1, 0, 0], undefined)).toEqual({
      code: 'trending',
      text: 'Popular in shoes',
    });
    expect(reasonFor(shoe, [0.1, 0.1, 0, 0], undefined).code).toBe('popular');
  });
});
