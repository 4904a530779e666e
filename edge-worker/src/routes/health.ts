import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { edgeDeps } from '../deps';

/**
 * `GET /health`: 200 whenever the Worker itself runs; a failing dependency turns the status
 * to `degraded` instead, because the edge still answers from its fallbacks.
 */
export const healthRoutes = new Hono<AppEnv>().get('/health', async (c) => {
  const { cache, origin } = edgeDeps(c);
  const [kv, originHealth] = await Promise.all([cache.health(), origin.health()]);
  return c.json({
    status: kv.ok && originHealth.ok ? 'ok' : 'degraded',
    dependencies: { kv, origin: originHealth },
  });
});
