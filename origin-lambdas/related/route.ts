import type { Hono } from 'hono';
import { ValidationError } from '../common/errors';
import type { RequestIdVariables } from '../common/request-id';
import { type RelatedDeps, related } from './related';
import { relatedParamsSchema, relatedQuerySchema } from './schema';

/** Shared by every anonymous caller, so the edge may cache it; five minutes matches list refreshes. */
export const RELATED_PUBLIC_CACHE = 'public, max-age=300';
export const RELATED_PRIVATE_CACHE = 'private, no-store';

/**
 * Adds `GET /v1/items/:id/related` to an origin app. The app must already install `requestId()`
 * and `app.onError(onError)`: invalid input becomes a 400 problem, an unknown item a 404.
 */
export function registerRelatedRoute(app: Hono<{ Variables: RequestIdVariables }>, deps: RelatedDeps): void {
  app.get('/v1/items/:id/related', async (c) => {
    const params = relatedParamsSchema.safeParse(c.req.param());
    const query = relatedQuerySchema.safeParse(c.req.query());
    if (!params.success || !query.success) {
      throw new ValidationError([...(params.error?.issues ?? []), ...(query.error?.issues ?? [])]);
    }
    const result = await related(deps, {
      itemId: params.data.id,
      limit: query.data.limit,
      userId: query.data.user_id,
      surface: query.data.surface,
      requestId: c.get('requestId'),
    });
    c.header(
      'Server-Timing',
      Object.entries(result.timings_ms)
        .map(([k, v]) => `${k};dur=${v}`)
        .join(', '),
    );
    c.header('Cache-Control', query.data.user_id ? RELATED_PRIVATE_CACHE : RELATED_PUBLIC_CACHE);
    return c.json(result);
  });
}
