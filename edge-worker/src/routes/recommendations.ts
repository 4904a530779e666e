import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { recommendationQuerySchema } from '../../../shared/schemas/recommendation';
import type { AppEnv } from '../app-env';
import { defer } from '../background';
import { snapshotStoreFor } from '../bandit/snapshots';
import { edgeDeps } from '../deps';
import { ValidationError } from '../errors';
import { serveRecommendations } from '../recommend/serve';
import { ANONYMOUS_ID_COOKIE, cacheSubject, resolveIdentity } from '../recommend/subject';
import { cacheVariant } from '../recommend/variant';
import { toSignals } from '../session/state';
import { KvSessionStore } from '../session/store';

/** Cookie carrying the browsing session id, when the query has no `session_id`. */
export const SESSION_ID_COOKIE = 'attune_sid';

const VALID_SESSION_ID = /^[\w.:-]{1,128}$/;

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * How deep a list the edge asks the origin for and caches: one cached list then serves any
 * `limit` up to it, and `exclude` is applied at the edge, so excluded ids stay in the cache.
 */
const CACHE_DEPTH = 50;

function originQueryFor(input: Record<string, string>, limit: number): URLSearchParams {
  const q = new URLSearchParams(input);
  // The cached answer serves every session of the subject: session and exclusions apply at the edge.
  q.delete('exclude');
  q.delete('session_id');
  q.set('limit', String(Math.max(limit, CACHE_DEPTH)));
  q.set('candidates', '1');
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
  const cookieSession = getCookie(c, SESSION_ID_COOKIE);
  const sessionId =
    parsed.data.session_id ??
    (cookieSession && VALID_SESSION_ID.test(cookieSession) ? cookieSession : undefined);
  // Read in parallel with the cached list; only awaited when that list is re-scored.
  const session = sessionId ? new KvSessionStore(c.env.RECS_KV).get(sessionId).then(toSignals) : undefined;
  const snapshot = snapshotStoreFor(
    c.get('config'),
    typeof caches === 'undefined' ? undefined : caches.default,
  ).current((work) => defer(c, 'snapshot refresh', work));
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
      ...(session ? { session } : {}),
      snapshot,
      variant: cacheVariant(parsed.data),
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
  const { kv, score, origin: originMs, total } = served.timings;
  c.header(
    'server-timing',
    [
      `kv;dur=${kv}`,
      ...(score === undefined ? [] : [`score;dur=${score}`]),
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
