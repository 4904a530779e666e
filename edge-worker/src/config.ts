import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './app-env';
import { ConfigError } from './errors';
import { memoizeByVars } from './vars-memo';

const seconds = z.coerce.number().int();

/** Worker configuration from the `[vars]` of wrangler.toml (parsed once per isolate and values). */
export const edgeConfigSchema = z
  .object({
    ORIGIN_URL: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
    ORIGIN_TIMEOUT_MS: z.coerce.number().int().min(10).max(30_000),
    CACHE_FRESH_SECONDS: seconds.min(0).max(86_400),
    // KV refuses an expirationTtl below 60 seconds.
    CACHE_MAX_STALE_SECONDS: seconds.min(60).max(30 * 86_400),
    // Split once here: the parsed configuration is kept per isolate, CORS reads it per request.
    ALLOWED_ORIGINS: z.string().min(1).transform(allowedOrigins),
    // How old the bandit and rules snapshot may get before a refresh: the delay before a paused
    // campaign stops showing and a posterior update is sampled from, at the edge.
    EDGE_SNAPSHOT_TTL_SECONDS: seconds.min(1).max(300).default(5),
  })
  .refine((c) => c.CACHE_MAX_STALE_SECONDS >= c.CACHE_FRESH_SECONDS, {
    path: ['CACHE_MAX_STALE_SECONDS'],
    message: 'must be at least CACHE_FRESH_SECONDS',
  });

export type EdgeConfig = z.infer<typeof edgeConfigSchema>;

/**
 * Parses the Worker configuration from its bindings.
 * @throws ConfigError naming every invalid variable.
 */
export function loadEdgeConfig(env: Record<string, unknown>): EdgeConfig {
  const parsed = edgeConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const variables = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '(config)')))];
  const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ConfigError(variables, detail);
}

/** {@link loadEdgeConfig}, parsed once per isolate and variable values (`vars-memo.ts`). */
export const cachedEdgeConfig = memoizeByVars(Object.keys(edgeConfigSchema.shape), loadEdgeConfig);

/** Middleware that puts the parsed configuration on the context as `config`. */
export function edgeConfig(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('config', cachedEdgeConfig(c.env as unknown as Record<string, unknown>));
    await next();
  };
}

/** Splits ALLOWED_ORIGINS: `*` allows any origin, otherwise a comma-separated list. */
export function allowedOrigins(value: string): '*' | string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.includes('*') ? '*' : list;
}
