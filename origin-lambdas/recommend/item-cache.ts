import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import type { ItemLookup } from '../../shared/ports/item-lookup';
import type { ChangeFeed } from '../../stream-handlers/common/change-feed';

export interface ItemCacheOptions {
  /** How long a fetched item is trusted without a change signal. @default 60000 */
  readonly ttlMs?: number;
  /** Entries kept; the oldest go first. @default 100000 */
  readonly maxEntries?: number;
  /** How often the `items` change stream is polled for deletions and edits. @default 1000 */
  readonly pollMs?: number;
  readonly now?: () => number;
}

/**
 * Catalog items cached in the container: a few hundred candidates per request would otherwise
 * cost several BatchGets on every miss. Changed or deleted items are announced on the `items`
 * change stream, polled at most once a second, so an edit reaches serving within about a second
 * instead of waiting for the TTL.
 */
export class ItemCache implements ItemLookup {
  private readonly entries = new Map<string, { item: CatalogItem; at: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private polledAt: number;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly catalog: ItemCatalog,
    private readonly changes?: ChangeFeed,
    opts: ItemCacheOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.pollMs = opts.pollMs ?? 1000;
    this.now = opts.now ?? Date.now;
    this.polledAt = this.now();
  }

  /** The items with these ids, in the given order; unknown ids are left out. */
  async getItems(ids: readonly string[]): Promise<CatalogItem[]> {
    await this.invalidateChanged();
    const now = this.now();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const e = this.entries.get(id);
      if (!e || now - e.at > this.ttlMs) missing.push(id);
    }
    if (missing.length) {
      for (const item of await this.catalog.getItems(missing)) this.remember(item, now);
    }
    const out: CatalogItem[] = [];
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e) out.push(e.item);
    }
    return out;
  }

  /** A cache answers from the catalog from the start. */
  async ready(): Promise<void> {}

  /** Drops cached items (after a write this container made itself). */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(item: CatalogItem, at: number) {
    this.entries.delete(item.item_id);
    this.entries.set(item.item_id, { item, at });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  private async invalidateChanged(): Promise<void> {
    if (!this.changes || this.now() - this.polledAt < this.pollMs) return;
    // One poll in flight per container: concurrent requests wait for the same answer.
    this.polling ??= (async () => {
      const since = this.polledAt;
      try {
        const { ids } = await (this.changes as ChangeFeed).changedSince('items', since, this.now());
        this.forget(ids);
        this.polledAt = this.now();
      } catch {
        // The feed being down must not stop serving; entries still expire by TTL.
        this.polledAt = this.now();
      } finally {
        this.polling = undefined;
      }
    })();
    await this.polling;
  }
}
