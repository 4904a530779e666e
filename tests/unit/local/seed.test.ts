import { describe, expect, it } from 'vitest';
import {
  categoryCentroids,
  DEMO_CATEGORIES,
  EMBEDDING_DIM,
  generateCatalog,
} from '../../../local/seed/catalog';
import { generateHistory, generateUsers, seedUuid } from '../../../local/seed/users';
import { fallbackItems } from '../../../shared/fallback-items';
import { makeEventSchema } from '../../../shared/schemas/event';
import { cosine } from '../../../shared/vector-math';

describe('demo seed', () => {
  it('is deterministic', () => {
    expect(generateCatalog({ items: 50 })).toEqual(generateCatalog({ items: 50 }));
    expect(generateUsers(20)).toEqual(generateUsers(20));
  });

  it('spreads items over every category and modality with unit embeddings near their centroid', () => {
    const items = generateCatalog({ items: 240 });
    expect(new Set(items.map((i) => i.category)).size).toBe(DEMO_CATEGORIES.length);
    expect(new Set(items.map((i) => i.modality))).toEqual(new Set(['text', 'image', 'video', 'audio']));
    const centroids = categoryCentroids();
    for (const it of items.slice(0, 24)) {
      expect(it.embedding).toHaveLength(EMBEDDING_DIM);
      expect(Math.hypot(...it.embedding)).toBeCloseTo(1, 5);
      const own = DEMO_CATEGORIES.findIndex((c) => c.name === it.category);
      const sims = centroids.map((c) => cosine(c, it.embedding));
      expect(sims.indexOf(Math.max(...sims))).toBe(own);
    }
  });

  it('names real catalog items in the compiled fallback list', () => {
    const ids = new Set(generateCatalog({ items: 3000 }).map((i) => i.item_id));
    for (const f of fallbackItems(100)) expect(ids.has(f.item_id)).toBe(true);
  });

  it('generates valid events that follow each user taste', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const users = generateUsers(30);
    const catalog = generateCatalog({ items: 600 });
    const events = generateHistory(users, catalog, { perUser: 10, now });
    const schema = makeEventSchema(() => now);
    expect(events).toHaveLength(300);
    for (const e of events) expect(schema.safeParse(e).success).toBe(true);
    const byId = new Map(catalog.map((i) => [i.item_id, i]));
    const inTaste = events.filter((e) =>
      users.find((u) => u.user_id === e.user_id)!.tastes.includes(byId.get(e.item_id!)!.category),
    );
    expect(inTaste.length / events.length).toBeGreaterThan(0.8);
    expect(seedUuid(255)).toBe('5eed0000-0000-4000-8000-0000000000ff');
  });
});
