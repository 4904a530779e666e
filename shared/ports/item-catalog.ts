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
