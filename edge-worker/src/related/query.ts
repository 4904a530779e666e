import { z } from 'zod';
import { SURFACES } from '../../../shared/schemas/recommendation';

const id = z.string().min(1).max(128);

/**
 * Query of `GET /v1/items/:id/related` at the edge: the origin's (limit, user_id, surface) plus
 * the identity and session params the browser SDK sends everywhere, which the edge reads for
 * rate limiting and drops before the origin (whose schema rejects unknown keys).
 */
export const edgeRelatedQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(50).default(10),
    /** Personalizes the blend: the answer is private and never cached. */
    user_id: id.optional(),
    anonymous_id: id.optional(),
    session_id: id.optional(),
    surface: z.enum(SURFACES).optional(),
  })
  .strict();

export type EdgeRelatedQuery = z.infer<typeof edgeRelatedQuerySchema>;

/** `/v1/items/<id>/related`, the id encoded once. */
export function relatedPath(itemId: string): string {
  return `/v1/items/${encodeURIComponent(itemId)}/related`;
}

/** The origin's query: only the keys it accepts, in a fixed order. */
export function originRelatedQuery(q: EdgeRelatedQuery): URLSearchParams {
  const out = new URLSearchParams({ limit: String(q.limit) });
  if (q.surface) out.set('surface', q.surface);
  if (q.user_id) out.set('user_id', q.user_id);
  return out;
}

/**
 * The Cache API key of a public answer: the normalized URL (defaults filled in, keys sorted,
 * user and session params dropped), so every anonymous visitor of an item shares one entry.
 */
export function relatedCacheKey(base: string, itemId: string, q: EdgeRelatedQuery): string {
  const out = new URLSearchParams({ limit: String(q.limit) });
  if (q.surface) out.set('surface', q.surface);
  out.sort();
  return `${base}${relatedPath(itemId)}?${out}`;
}
