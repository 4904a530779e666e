import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { problem } from '../../shared/schemas/problem';
import type { AppEnv } from './app-env';
import { edgeConfig } from './config';
import { onError, problemResponse } from './errors';
import { rateLimit } from './rate-limit/middleware';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { internalRoutes } from './routes/internal';
import { recommendationRoutes } from './routes/recommendations';
import { relatedRoutes } from './routes/related';
import { staticRoutes } from './routes/static';

/** Builds the edge Worker's app: request id, configuration, CORS, the routes, one error mapper. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId({ limitLength: 128 }));
  app.use(edgeConfig());
  app.use(
    cors({
      origin: (origin, c) => {
        const allowed = (c as Context<AppEnv>).get('config').ALLOWED_ORIGINS;
        if (allowed === '*') return '*';
        return allowed.includes(origin) ? origin : null;
      },
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['content-type', 'x-request-id'],
      exposeHeaders: ['x-request-id', 'server-timing', 'x-attune-cache', 'retry-after'],
      maxAge: 600,
    }),
  );
  const limited = rateLimit();
  for (const path of ['/v1/recommendations', '/v1/events', '/v1/items/:id/related']) app.use(path, limited);
  app.route('/', healthRoutes);
  app.route('/', recommendationRoutes);
  app.route('/', eventRoutes);
  app.route('/', relatedRoutes);
  app.route('/', internalRoutes);
  app.route('/', staticRoutes);
  app.notFound((c) => {
    const id = c.get('requestId');
    return problemResponse(
      problem(404, 'Not found', { detail: `no route for ${c.req.method} ${c.req.path}`, request_id: id }),
      id,
    );
  });
  app.onError(onError);
  return app;
}
