import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { Reason } from '../../shared/schemas/recommendation';

/** Explains one ranked item from the features that scored it, in the user's words. */
export function reasonFor(
  item: CatalogItem,
  row: readonly number[],
  anchor: CatalogItem | undefined,
): Reason {
  const [popularity = 0, freshness = 0, affinity = 0, similarity = 0] = row;
  if (anchor && similarity >= 0.6)
    return { code: 'because_viewed', text: `Because you viewed ${anchor.title}` };
  if (affinity >= 0.3) return { code: 'similar', text: `More in ${item.category}, which you like` };
  if (freshness >= 0.8) return { code: 'new', text: 'New this week' };
  if (popularity >= 0.5) return { code: 'trending', text: `Popular in ${item.category}` };
  return { code: 'popular', text: 'Popular right now' };
}
