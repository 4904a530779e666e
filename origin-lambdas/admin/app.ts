import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { problem } from '../../shared/schemas/problem';
import { onError, problemResponse } from '../common/errors';
import { type HealthCheck, healthRoute } from '../common/health';
import { requestId } from '../common/request-id';
import { createGuard } from './auth/middleware';
import type { AdminEnv } from './http/env';
import { openApiDocument } from './http/openapi';
import { mountRoutes } from './http/registry';
import { adminRoutes } from './routes';
import { type AdminDeps, createAdminServices } from './services';

/**
 * The admin Lambda's hono app: campaigns, rules, experiments, stats, users and keys, each route
 * guarded by a role; the OpenAPI document is generated from the same route definitions.
 */
export function createAdminApp(deps: AdminDeps, checks: Record<string, HealthCheck> = {}) {
  const services = createAdminServices(deps);
  const routes = adminRoutes(services);
  const document = openApiDocument(routes);
  const app = new Hono<AdminEnv>();
  app.use(requestId());
  app.onError(onError);
  app.get('/admin/health', healthRoute('attune-admin', checks));
  app.get('/admin/openapi.json', (c) => c.json(document));
  app.get('/admin/docs', swaggerUI({ url: '/admin/openapi.json' }));
  mountRoutes(app, routes, createGuard(services.keys, services.now));
  app.notFound((c) =>
    problemResponse(
      problem(404, 'Not found', {
        detail: `no route for ${c.req.method} ${c.req.path}`,
        request_id: c.get('requestId'),
      }),
    ),
  );
  return Object.assign(app, { definitions: routes, services });
}

export type AdminApp = ReturnType<typeof createAdminApp>;
