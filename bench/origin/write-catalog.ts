import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import { progress } from './progress';

/** Items each writer takes per turn: four 25-item BatchWrites. */
const SLICE = 100;

/**
 * Writes the catalog with `writers` concurrent writers through the ItemCatalog port (BatchWrite,
 * 25 items a request, unprocessed items resent). DynamoDB Local spends its time per request,
 * so several requests in flight keep its threads busy while this process marshals the next ones.
 */
export async function writeCatalog(
  catalog: ItemCatalog,
  items: readonly CatalogItem[],
  writers: number,
): Promise<{ seconds: number; items_per_s: number; writers: number }> {
  const bar = progress('catalog -> DynamoDB', items.length, 'items', 5000);
  let next = 0;
  const writer = async () => {
    for (;;) {
      const start = next;
      if (start >= items.length) return;
      next += SLICE;
      const part = items.slice(start, start + SLICE);
      await catalog.putItems(part);
      bar.add(part.length);
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  const { seconds, perSecond } = bar.finish();
  return { seconds, items_per_s: perSecond, writers };
}
