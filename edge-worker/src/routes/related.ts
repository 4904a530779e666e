import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { defer } from '../background';
import { edgeDeps } from '../deps';
import { ValidationError } from '../errors';
import { edgeRelatedQuerySchema, relatedCacheKey } from '../related/query';
import { CacheApiRelatedCache } from '../related/related-cache';
import { RelatedOrigin } from '../related/related-origin';
import { serveRelated } from '../related/serve';

/**
 * `GET /v1/items/:id/related`: the origin's related items, shared answers cached at this
 * location (Cache API), personalized ones (`user_id`) always from the origin; a stale copy or a
 * popular list when the origin fails.
 */
export const relatedRoutes = new Hono<AppEnv>().get('/v1/items/:id/related', async (c) => {
  const itemId = c.req.param('id');
  const parsed = edgeRelatedQuerySchema.safeParse(c.req.query());
  if (!parsed.success) throw new ValidationError(parsed.error.issues);
  if (itemId.length === 0 || itemId.length > 128) {
    throw new ValidationError([{ path: ['id'], message: 'item id must be 1 to 128 characters' }]);
  }
  const config = c.get('config');
  const requestId = c.get('requestId');
  const served = await serveRelated(
    {
      cache: new CacheApiRelatedCache(caches.default, config.CACHE_MAX_STALE_SECONDS),
      origin: new RelatedOrigin({
        baseUrl: config.ORIGIN_URL,
        timeoutMs: config.ORIGIN_TIMEOUT_MS,
        requestId,
      }),
      lists: edgeDeps(c).cache,
      defer: (what, work) => defer(c, what, work),
    },
    {
      itemId,
      query: parsed.data,
      cacheKey: relatedCacheKey(new URL(c.req.url).origin, itemId, parsed.data),
      country: countryOf(c.req.raw),
      requestId,
    },
  );
  if (served.kind === 'client-error') {
    return c.body(served.body, served.status as 400, { 'content-type': served.contentType });
  }
  c.header('cache-control', served.cacheControl);
  c.header('x-attune-cache', served.cache);
  if (served.originMs !== undefined) c.header('server-timing', `origin;dur=${served.originMs}`);
  return c.json(served.body);
});

/** The visitor's country from Cloudflare's request metadata, when it is a real ISO code. */
function countryOf(req: Request): string | undefined {
  const country = (req as Request<unknown, IncomingRequestCfProperties>).cf?.country;
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? country : undefined;
}
