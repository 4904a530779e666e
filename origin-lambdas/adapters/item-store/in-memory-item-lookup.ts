import type { CatalogItem, ItemCatalog } from '../../../shared/ports/item-catalog';
import type { ItemLookup } from '../../../shared/ports/item-lookup';
import type { ChangeFeed } from '../../../stream-handlers/common/change-feed';
import { CompactItemStore } from './compact-item-store';

export interface InMemoryItemLookupOptions {
  /** Where a lookup reads items the store does not hold, and the changed items it re-reads. */
  readonly catalog: Pick<ItemCatalog, 'getItems'>;
  /** The whole catalog, page by page (`scanCatalogItems`): what the store is loaded from. */
  readonly load: () => AsyncIterable<readonly CatalogItem[]>;
  readonly dimensions: number;
  /** The `items` change stream, polled for edits and deletions. */
  readonly changes?: ChangeFeed;
  /** Answers while the store loads (the DynamoDB item cache). */
  readonly whileLoading?: ItemLookup;
  /** How often the change stream is polled. @default 1000 */
  readonly pollMs?: number;
  readonly now?: () => number;
}

/**
 * Hydration from a CompactItemStore holding the whole catalog in the container, loaded by one scan
 * of the items table (beside the embedded index, which is built from the same table): a request's
 * few hundred candidates cost no read. Items the store does not hold are read from the catalog and
 * kept. Edits and deletions come from the `items` change stream, polled at most once per
 * `pollMs`: a changed item is dropped and re-read on its next lookup, as the item cache does.
 * A failed poll is retried from the same point (the feed keeps an hour), so no change is lost;
 * the scan's own start is the first point, so changes made while it ran are replayed.
 */
export class InMemoryItemLookup implements ItemLookup {
  private readonly store: CompactItemStore;
  private readonly pollMs: number;
  private readonly now: () => number;
  private loaded = false;
  private loading: Promise<void> | undefined;
  /** Changes before this are applied. */
  private polledAt = 0;
  private triedAt = 0;
  private polling: Promise<void> | undefined;

  constructor(private readonly opts: InMemoryItemLookupOptions) {
    this.store = new CompactItemStore(opts.dimensions);
    this.pollMs = opts.pollMs ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  /** Items held in memory. */
  get size(): number {
    return this.store.size;
  }

  ready(): Promise<void> {
    this.loading ??= (async () => {
      this.polledAt = this.now();
      this.triedAt = this.polledAt;
      try {
        for await (const page of this.opts.load()) this.store.put(page);
        this.loaded = true;
      } catch (err) {
        this.loading = undefined;
        throw err;
      }
    })();
    return this.loading;
  }

  async getItems(ids: readonly string[]): Promise<CatalogItem[]> {
    if (!this.loaded) {
      const loading = this.ready();
      if (this.opts.whileLoading) {
        // A failed load is retried on the next lookup; serving goes on meanwhile.
        loading.catch(() => undefined);
        return this.opts.whileLoading.getItems(ids);
      }
      await loading;
    }
    await this.applyChanges();
    const missing: string[] = [];
    for (const id of new Set(ids)) if (!this.store.has(id)) missing.push(id);
    if (missing.length) this.store.put(await this.opts.catalog.getItems(missing));
    const out: CatalogItem[] = [];
    for (const id of ids) {
      const item = this.store.get(id);
      if (item) out.push(item);
    }
    return out;
  }

  private async applyChanges(): Promise<void> {
    const changes = this.opts.changes;
    if (!changes || this.now() - this.triedAt < this.pollMs) return;
    // One poll in flight per container: concurrent requests wait for the same answer.
    this.polling ??= (async () => {
      const until = this.now();
      this.triedAt = until;
      try {
        const { ids } = await changes.changedSince('items', this.polledAt, until);
        this.store.remove(ids);
        this.polledAt = until;
      } catch {
        // The feed being down must not stop serving; the next poll asks again from the same point.
      } finally {
        this.polling = undefined;
      }
    })();
    await this.polling;
  }
}
