import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import type { Reason } from '../../shared/schemas/recommendation';
import { logger } from '../common/observability';
import { takeFromList } from '../recommend/list-walk';
import { servable } from './blend';

export interface PopularFillOptions {
  readonly catalog: ItemCatalog;
  readonly timeoutMs: number;
  readonly anchor: CatalogItem;
  /** Ids already chosen; never repeated. */
  readonly exclude: ReadonlySet<string>;
  /** What else may be served (the user's blocks and purchases). @default everything */
  readonly allow?: (item: CatalogItem) => boolean;
  readonly need: number;
}

export interface PopularPick {
  readonly item: CatalogItem;
  readonly reason: Reason;
}

/**
 * Tops a short related list up from the anchor's category popular list, then the global popular
 * list, so an item without neighbours (new, or its sources down) still gets a shelf. A list that
 * cannot be read is skipped and reported in `failed`.
 */
export async function popularFill(
  opts: PopularFillOptions,
): Promise<{ picks: PopularPick[]; failed: boolean }> {
  const ladder: { listId: string; reason: Reason }[] = [
    {
      listId: LIST_IDS.categoryPopular(opts.anchor.category),
      reason: { code: 'popular', text: `Popular in ${opts.anchor.category}` },
    },
    { listId: LIST_IDS.globalPopular, reason: { code: 'popular', text: 'Popular right now' } },
  ];
  const taken = new Set(opts.exclude);
  const picks: PopularPick[] = [];
  let failed = false;
  for (const { listId, reason } of ladder) {
    const need = opts.need - picks.length;
    if (need <= 0) break;
    try {
      // Items may have gone unavailable since the list was built: the walk reads on until it has enough.
      const items = await takeFromList(opts.catalog, listId, {
        need,
        keep: (item) =>
          !taken.has(item.item_id) && servable(item, opts.anchor.item_id) && (opts.allow?.(item) ?? true),
        timeoutMs: opts.timeoutMs,
      });
      for (const item of items) {
        taken.add(item.item_id);
        picks.push({ item, reason });
      }
    } catch (err) {
      failed = true;
      logger.warn('popular list unavailable for related items', { listId, reason: String(err) });
    }
  }
  return { picks, failed };
}
