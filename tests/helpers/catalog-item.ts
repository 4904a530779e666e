import type { CatalogItem } from '../../shared/ports/item-catalog';

/** A minimal available catalog item with `vector` as its embedding; `extra` overrides any field. */
export const catalogItem = (id: string, vector: number[], extra: Partial<CatalogItem> = {}): CatalogItem => ({
  item_id: id,
  title: `Item ${id}`,
  category: 'books',
  modality: 'text',
  price: 10,
  popularity: 1,
  created_at: '2026-11-01T00:00:00.000Z',
  available: true,
  embedding: vector,
  ...extra,
});
