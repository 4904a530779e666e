import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';

export const GLOBAL_POPULAR_LIST = 'popular:global';

/**
 * The global popular list with its items, cached per container: it changes on a schedule, not
 * per request, and the last good copy keeps serving when DynamoDB does not answer.
 */
export class PopularSource {
  private cached: { items: CatalogItem[]; at: number } | undefined;

  constructor(
    private readonly catalog: ItemCatalog,
    private readonly ttlMs = 30_000,
    private readonly size = 300,
  ) {}

  /** Fresh items when the cache is young; otherwise reloads, falling back to the last copy on error. */
  async items(now = Date.now()): Promise<{ items: CatalogItem[]; stale: boolean }> {
    if (this.cached && now - this.cached.at < this.ttlMs) return { items: this.cached.items, stale: false };
    try {
      const list = await this.catalog.getList(GLOBAL_POPULAR_LIST);
      const items = list ? await this.catalog.getItems(list.item_ids.slice(0, this.size)) : [];
      if (items.length) this.cached = { items: items.filter((i) => i.available !== false), at: now };
      return { items: this.cached?.items ?? [], stale: false };
    } catch (err) {
      if (this.cached) return { items: this.cached.items, stale: true };
      throw err;
    }
  }
}
