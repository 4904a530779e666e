import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { recommendationQuerySchema } from '../../../shared/schemas/recommendation';
import type { AppEnv } from '../app-env';
import { defer } from '../background';
import { edgeDeps } from '../deps';
import { ValidationError } from '../errors';
import { serveRecommendations } from '../recommend/serve';
import { ANONYMOUS_ID_COOKIE, cacheSubject, resolveIdentity } from '../recommend/subject';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * How deep a list the edge asks the origin for and caches: one cached list then serves any
 * `limit` up to it, and `exclude` is applied at the edge, so excluded ids stay in the cache.
 */
const CACHE_DEPTH = 50;

function originQueryFor(input: Record<string, string>, limit: number): URLSearchParams {
  const q = new URLSearchParams(input);
  q.delete('exclude');
  q.set('limit', String(Math.max(limit, CACHE_DEPTH)));
  return q;
}

/** `GET /v1/recommendations`: cache, origin, then fallbacks; never a 5xx for a dependency failure. */
export const recommendationRoutes = new Hono<AppEnv>().get('/v1/recommendations', async (c) => {
  const raw = c.req.query();
  const identity = resolveIdentity(raw, getCookie(c, ANONYMOUS_ID_COOKIE));
  const input: Record<string, string> = { ...raw };
  if (!raw.user_id && !raw.anonymous_id && identity.anonymous_id) input.anonymous_id = identity.anonymous_id;
  const parsed = recommendationQuerySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues);

  const { cache, origin } = edgeDeps(c);
  const served = await serveRecommendations(
    {
      cache,
      origin,
      freshSeconds: c.get('config').CACHE_FRESH_SECONDS,
      defer: (what, work) => defer(c, what, work),
    },
    {
      query: parsed.data,
      originQuery: originQueryFor(input, parsed.data.limit),
      subject: cacheSubject(parsed.data),
      country: countryOf(c.req.raw),
      requestId: c.get('requestId'),
    },
  );

  if (identity.minted) {
    // Readable by the browser SDK on purpose (no HttpOnly): it sends the id with its events.
    setCookie(c, ANONYMOUS_ID_COOKIE, identity.minted, {
      path: '/',
      maxAge: ONE_YEAR_SECONDS,
      sameSite: 'Lax',
      secure: new URL(c.req.url).protocol === 'https:',
    });
  }
  const { kv, origin: originMs, total } = served.timings;
  c.header(
    'server-timing',
    [
      `kv;dur=${kv}`,
      ...(originMs === undefined ? [] : [`origin;dur=${originMs}`]),
      `total;dur=${total}`,
    ].join(', '),
  );
  c.header('cache-control', 'private, no-store');
  c.header('x-attune-cache', served.cache);
  return c.json(served.body);
});

/** The visitor's country from Cloudflare's request metadata, when it is a real ISO code. */
function countryOf(req: Request): string | undefined {
  const country = (req as Request<unknown, IncomingRequestCfProperties>).cf?.country;
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? country : undefined;
}
