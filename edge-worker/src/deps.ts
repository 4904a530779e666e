import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import type { EdgeCache } from './cache/edge-cache';
import { KvEdgeCache } from './cache/kv-edge-cache';
import { OriginClient } from './origin/origin-client';

/** The adapters a handler talks to, built from the request's bindings and configuration. */
export interface EdgeDeps {
  readonly cache: EdgeCache;
  readonly origin: OriginClient;
}

/** Builds the adapters for one request (cheap: no connections are opened). */
export function edgeDeps(c: Context<AppEnv>): EdgeDeps {
  const config = c.get('config');
  return {
    cache: new KvEdgeCache(c.env.RECS_KV, { maxStaleSeconds: config.CACHE_MAX_STALE_SECONDS }),
    origin: new OriginClient({
      baseUrl: config.ORIGIN_URL,
      timeoutMs: config.ORIGIN_TIMEOUT_MS,
      requestId: c.get('requestId'),
    }),
  };
}
