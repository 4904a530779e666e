import type { CatalogItem } from './item-catalog';

/**
 * Port: hydration of candidate ids into catalog items on the serving path. Adapters: the
 * container's item cache over the DynamoDB catalog (`ItemCache`, the default) and the in-memory
 * item store kept beside the embedded index (`InMemoryItemLookup`). Both announce an edit or a
 * deletion within about a second of its change signal.
 */
export interface ItemLookup {
  /** The items with these ids, in the given order (repeats kept); unknown ids are left out. */
  getItems(ids: readonly string[]): Promise<CatalogItem[]>;
  /** Resolves once the lookup answers from its own data (at once for a cache). */
  ready(): Promise<void>;
}
