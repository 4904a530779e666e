import type { DependencyHealth } from './event-stream';

export const MODALITIES = ['text', 'image', 'video', 'audio'] as const;
export type Modality = (typeof MODALITIES)[number];

/** A catalog item as stored; `embedding` is the content vector in the shared space. */
export interface CatalogItem {
  readonly item_id: string;
  readonly title: string;
  readonly category: string;
  readonly modality: Modality;
  readonly price: number;
  readonly popularity: number;
  readonly created_at: string;
  readonly available: boolean;
  readonly embedding: readonly number[];
  /** ISO 3166-1 alpha-2 countries the item may be shown in; everywhere when absent. */
  readonly regions?: readonly string[];
  /** Minimum viewer age (e.g. 18 for age-restricted goods); no restriction when absent. */
  readonly min_age?: number;
  /** Set when the item was deleted; deleted items are never served. */
  readonly deleted?: boolean;
}

/** A ranked list of item ids kept ready for fallbacks (global popular, segment popular). */
export interface StoredList {
  readonly list_id: string;
  readonly item_ids: readonly string[];
  readonly updated_at: string;
}

/** Port: the item catalog and its precomputed lists (DynamoDB). */
export interface ItemCatalog {
  putItems(items: readonly CatalogItem[]): Promise<void>;
  getItems(ids: readonly string[]): Promise<CatalogItem[]>;
  putList(list: StoredList): Promise<void>;
  getList(listId: string): Promise<StoredList | undefined>;
  health(): Promise<DependencyHealth>;
}
