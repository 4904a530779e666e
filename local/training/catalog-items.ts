import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { ItemMeta } from './movielens';

/** The release year in a MovieLens title such as `Heat (1995)`, when there is one. */
export function releaseYear(title: string): number | undefined {
  const m = /\((\d{4})\)\s*$/.exec(title.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * Catalog rows for trained items: the item's CF embedding becomes `embedding` (the space the
 * origin's similarity feature compares), the first genre its category, training users its
 * popularity, and the release year (or, lacking one, the first time anyone touched it) its
 * `created_at`.
 */
export function toCatalogItems(args: {
  readonly ids: readonly string[];
  readonly vectors: Float64Array | Float32Array;
  readonly dimensions: number;
  readonly popularity: ArrayLike<number>;
  readonly firstSeen: ReadonlyMap<string, number>;
  readonly meta: ReadonlyMap<string, ItemMeta>;
}): CatalogItem[] {
  const { ids, vectors, dimensions: k } = args;
  return ids.map((id, i) => {
    const meta = args.meta.get(id);
    const year = meta ? releaseYear(meta.title) : undefined;
    const created = year !== undefined ? Date.UTC(year, 0, 1) : (args.firstSeen.get(id) ?? 0);
    return {
      item_id: id,
      title: meta?.title ?? id,
      category: meta?.genres[0] ?? 'unknown',
      modality: 'video',
      price: 0,
      popularity: args.popularity[i] as number,
      created_at: new Date(created).toISOString(),
      available: true,
      embedding: Array.from(vectors.subarray(i * k, i * k + k)),
    };
  });
}
