import type { ItemCatalog } from '../../shared/ports/item-catalog';

/** What stream handlers need of an item: its category and content vector. */
export interface ItemFacts {
  readonly category: string;
  readonly embedding: readonly number[];
}

export interface ItemLookupOptions {
  /** How long a looked-up item is trusted. @default 300000 (5 minutes) */
  readonly ttlMs?: number;
  /** Items kept at most; the oldest entries go first. @default 50000 */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Looks up a batch's items with one BatchGet for the ones not cached. Item vectors change only
 * when the catalog is re-embedded, so a few minutes of container-local caching turns the
 * per-batch read into a read per new item, and a miss (unknown item) is cached too.
 */
export function createItemLookup(catalog: ItemCatalog, opts: ItemLookupOptions = {}) {
  const ttlMs = opts.ttlMs ?? 300_000;
  const maxEntries = opts.maxEntries ?? 50_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { facts: ItemFacts | undefined; at: number }>();
  return async function lookup(ids: Iterable<string>): Promise<Map<string, ItemFacts>> {
    const t = now();
    const out = new Map<string, ItemFacts>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = cache.get(id);
      if (hit && t - hit.at < ttlMs) {
        if (hit.facts) out.set(id, hit.facts);
      } else missing.push(id);
    }
    if (missing.length === 0) return out;
    const found = new Map((await catalog.getItems(missing)).map((i) => [i.item_id, i]));
    for (const id of missing) {
      const item = found.get(id);
      const facts = item ? { category: item.category, embedding: item.embedding } : undefined;
      cache.delete(id);
      cache.set(id, { facts, at: t });
      if (facts) out.set(id, facts);
    }
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return out;
  };
}

export type ItemLookup = ReturnType<typeof createItemLookup>;
