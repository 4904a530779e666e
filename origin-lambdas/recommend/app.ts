import { Hono } from 'hono';
import { type RecommendationQuery, recommendationQuerySchema } from '../../shared/schemas/recommendation';
import { bodyToQuery, recommendationBodySchema } from '../../shared/schemas/recommendation-body';
import { onError, ValidationError } from '../common/errors';
import { type HealthCheck, healthRoute } from '../common/health';
import { type RequestIdVariables, requestId } from '../common/request-id';
import { buildEdgeSnapshot } from './edge-snapshot';
import { type RecommendDeps, recommend } from './recommend';
import { recordServing } from './serving-metrics';

/** How long a shared snapshot may be reused: the bound on how late a paused campaign shows. */
export const EDGE_SNAPSHOT_MAX_AGE_SECONDS = 5;

/** The recommend Lambda's hono app: `GET|POST /v1/recommendations`, `GET /v1/edge/snapshot`. */
export function createRecommendApp(
  deps: RecommendDeps,
  checks: Record<string, HealthCheck>,
  extend?: (app: Hono<{ Variables: RequestIdVariables }>) => void,
) {
  const app = new Hono<{ Variables: RequestIdVariables }>();
  app.use(requestId());
  app.onError(onError);
  app.get('/health', healthRoute('attune-origin', checks));

  const serve = async (query: RecommendationQuery, id: string) => {
    const result = await recommend(deps, { ...query, requestId: id });
    recordServing(result);
    return result;
  };
  const respond = (
    c: { header: (k: string, v: string) => void },
    result: Awaited<ReturnType<typeof serve>>,
  ) => {
    c.header(
      'Server-Timing',
      Object.entries(result.timings_ms)
        .map(([k, v]) => `${k};dur=${v}`)
        .join(', '),
    );
    c.header('Cache-Control', 'private, no-store');
  };

  app.get('/v1/recommendations', async (c) => {
    const parsed = recommendationQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw new ValidationError(parsed.error.issues);
    const result = await serve(parsed.data, c.get('requestId'));
    respond(c, result);
    return c.json(result);
  });
  app.post('/v1/recommendations', async (c) => {
    const body = await c.req.json().catch(() => {
      throw new ValidationError([{ path: ['body'], message: 'body must be a JSON object' }]);
    });
    const parsed = recommendationBodySchema.safeParse(body);
    if (!parsed.success) throw new ValidationError(parsed.error.issues);
    const result = await serve(bodyToQuery(parsed.data), c.get('requestId'));
    respond(c, result);
    return c.json(result);
  });
  // Shared by every edge isolate in a location for a few seconds (Cache API at the edge too).
  app.get('/v1/edge/snapshot', async (c) => {
    const snapshot = await buildEdgeSnapshot(deps.serving, Date.now());
    c.header('Cache-Control', `public, max-age=${EDGE_SNAPSHOT_MAX_AGE_SECONDS}`);
    return c.json(snapshot);
  });
  extend?.(app);
  return app;
}
