import { Hono } from 'hono';
import { healthRoute } from '../../origin-lambdas/common/health';
import type { OriginRuntime } from '../../origin-lambdas/common/runtime';
import { ingestAppFor } from '../../origin-lambdas/ingest/wire';
import { recommendAppFor } from '../../origin-lambdas/recommend/wire';

/**
 * What API Gateway does in AWS: one address in front of the recommend and ingest Lambdas,
 * each still its own hono app exactly as the Lambda handler exports it.
 */
export function createLocalOriginApp(rt: OriginRuntime) {
  const recommend = recommendAppFor(rt);
  const ingest = ingestAppFor(rt);
  const app = new Hono();
  app.get(
    '/health',
    healthRoute('attune-origin', {
      dynamodb: () => rt.catalog().health(),
      kinesis: () => rt.stream().health(),
      model: () => rt.model().health(),
    }),
  );
  app.all('/v1/events', (c) => ingest.fetch(c.req.raw));
  app.all('/v1/*', (c) => recommend.fetch(c.req.raw));
  return app;
}
