import { Hono } from 'hono';
import { onError } from '../common/errors';
import { type HealthCheck, healthRoute } from '../common/health';
import { type RequestIdVariables, requestId } from '../common/request-id';

/** The admin Lambda's hono app. Campaigns, rules, experiments and keys grow here (admin issue). */
export function createAdminApp(checks: Record<string, HealthCheck>) {
  const app = new Hono<{ Variables: RequestIdVariables }>();
  app.use(requestId());
  app.onError(onError);
  app.get('/admin/health', healthRoute('attune-admin', checks));
  return app;
}
