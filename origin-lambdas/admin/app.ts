import { swaggerUI } from '@hono/swagger-ui';
import { OpenAPIHono } from '@hono/zod-openapi';
import { problem } from '../../shared/schemas/problem';
import { onError, problemResponse } from '../common/errors';
import { type HealthCheck, healthRoute } from '../common/health';
import { requestId } from '../common/request-id';
import { createGuard } from './auth/middleware';
import type { AdminEnv } from './http/env';
import { serveDocument } from './http/openapi';
import { mountRoutes } from './http/registry';
import { throwValidationError } from './http/validation';
import { adminRoutes } from './routes';
import { type AdminDeps, createAdminServices } from './services';

/**
 * The admin Lambda's hono app: campaigns, rules, experiments, stats, users and keys, each route
 * registered through `@hono/zod-openapi` behind its role guard, so the OpenAPI document the
 * package generates describes exactly the routes that are served.
 */
export function createAdminApp(deps: AdminDeps, checks: Record<string, HealthCheck> = {}) {
  const services = createAdminServices(deps);
  const routes = adminRoutes(services);
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: throwValidationError });
  app.use(requestId());
  app.onError(onError);
  app.get('/admin/health', healthRoute('attune-admin', checks));
  serveDocument(app, '/admin/openapi.json');
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
