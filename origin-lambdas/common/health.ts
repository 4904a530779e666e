import type { Context } from 'hono';
import type { DependencyHealth } from '../../shared/ports/event-stream';
import { withTimeout } from '../../shared/timeout';

export type HealthCheck = () => Promise<DependencyHealth>;

/**
 * `GET /health`: each dependency's state. The service answers 200 while it can serve (possibly
 * degraded), so a load balancer does not pull an origin that still has fallbacks.
 */
export function healthRoute(service: string, checks: Record<string, HealthCheck>) {
  return async (c: Context) => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          return [name, await withTimeout(check(), 1000, name)] as const;
        } catch (err) {
          return [name, { ok: false, detail: (err as Error).message }] as const;
        }
      }),
    );
    const dependencies = Object.fromEntries(entries);
    const ok = entries.every(([, h]) => h.ok);
    return c.json({ service, status: ok ? 'ok' : 'degraded', dependencies });
  };
}
