import type { CatalogItem, StoredList } from '../../shared/ports/item-catalog';
import { withTimeout } from '../../shared/timeout';

/** Where a precomputed list and its items are read from (the catalog, or the item cache over it). */
export interface ListWalkSource {
  getList(listId: string): Promise<StoredList | undefined>;
  getItems(ids: readonly string[]): Promise<CatalogItem[]>;
}

export interface ListWalkOptions {
  /** Stop once this many items are kept. */
  readonly need: number;
  /** Which hydrated items may be served (filters, blocks, already chosen). */
  readonly keep: (item: CatalogItem) => boolean;
  readonly timeoutMs: number;
  /** How deep into the list to look at most. @default 1000 */
  readonly depth?: number;
}

/**
 * The first `need` items of a precomputed list that `keep` accepts, in list order. The list is
 * hydrated 100 ids at a time, so narrow filters that pass only items deep in the list still fill
 * a page, and a wide one costs a single read. Both the recommendation ladder and the related-items
 * top-up walk lists this way.
 * @throws when the list or its items cannot be read in time (the caller moves to its next list).
 */
export async function takeFromList(
  source: ListWalkSource,
  listId: string,
  opts: ListWalkOptions,
): Promise<CatalogItem[]> {
  const list = await withTimeout(source.getList(listId), opts.timeoutMs, `list ${listId}`);
  const ids = (list?.item_ids ?? []).slice(0, opts.depth ?? 1000);
  const kept: CatalogItem[] = [];
  for (let at = 0; at < ids.length && kept.length < opts.need; at += 100) {
    const items = await withTimeout(
      source.getItems(ids.slice(at, at + 100)),
      opts.timeoutMs,
      `items of ${listId}`,
    );
    for (const item of items) {
      if (kept.length >= opts.need) break;
      if (opts.keep(item)) kept.push(item);
    }
  }
  return kept;
}
