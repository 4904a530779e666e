import { Hono } from 'hono';
import { recommendationQuerySchema } from '../../shared/schemas/recommendation';
import { onError, ValidationError } from '../common/errors';
import { type HealthCheck, healthRoute } from '../common/health';
import { type RequestIdVariables, requestId } from '../common/request-id';
import { type RecommendDeps, recommend } from './recommend';
import { recordServing } from './serving-metrics';

/** The recommend Lambda's hono app: `GET /v1/recommendations`. */
export function createRecommendApp(deps: RecommendDeps, checks: Record<string, HealthCheck>) {
  const app = new Hono<{ Variables: RequestIdVariables }>();
  app.use(requestId());
  app.onError(onError);
  app.get('/health', healthRoute('attune-origin', checks));
  app.get('/v1/recommendations', async (c) => {
    const parsed = recommendationQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw new ValidationError(parsed.error.issues);
    const result = await recommend(deps, { ...parsed.data, requestId: c.get('requestId') });
    recordServing(result);
    c.header(
      'Server-Timing',
      Object.entries(result.timings_ms)
        .map(([k, v]) => `${k};dur=${v}`)
        .join(', '),
    );
    c.header('Cache-Control', 'private, no-store');
    return c.json(result);
  });
  return app;
}
