import { fnv1a } from '../../../shared/embedding/hashed-encoder';
import type { RecommendationQuery } from '../../../shared/schemas/recommendation';

/** A stable short key suffix, synchronous and cheap enough for every request. */
const hex8 = (text: string): string => fnv1a(text).toString(16).padStart(8, '0');

/**
 * What, besides subject and surface, changes the origin's answer: filters and request context.
 * A request with any of them gets its own cache entry, so a filtered list never answers an
 * unfiltered request or the other way round. Empty for the plain request, whose key stays as it was.
 * `exclude` and the session are not part of it: the edge applies them to any cached list.
 */
export function cacheVariant(q: RecommendationQuery): string {
  const parts: string[] = [];
  const list = (name: string, xs: readonly string[]) => {
    if (xs.length) parts.push(`${name}=${[...xs].sort().join(',')}`);
  };
  list('c', q.categories);
  list('m', q.modalities);
  list('s', q.session_items);
  if (q.price_min !== undefined) parts.push(`pmin=${q.price_min}`);
  if (q.price_max !== undefined) parts.push(`pmax=${q.price_max}`);
  if (q.item_id) parts.push(`i=${q.item_id}`);
  if (q.country) parts.push(`co=${q.country}`);
  if (q.device) parts.push(`d=${q.device}`);
  if (q.locale) parts.push(`l=${q.locale}`);
  if (q.explain) parts.push('x');
  return parts.length ? hex8(parts.join('&')) : '';
}
