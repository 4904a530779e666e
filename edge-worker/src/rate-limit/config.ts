import { z } from 'zod';
import { ConfigError } from '../errors';
import { memoizeByVars } from '../vars-memo';

/** The rate limit's `[vars]`: a token bucket per client key. */
export const rateLimitConfigSchema = z
  .object({
    RATE_LIMIT_RPS: z.coerce.number().positive().max(100_000),
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000),
  })
  .refine((c) => c.RATE_LIMIT_BURST >= c.RATE_LIMIT_RPS, {
    path: ['RATE_LIMIT_BURST'],
    message: 'must be at least RATE_LIMIT_RPS',
  });

export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;

/**
 * Parses the rate limit variables.
 * @throws ConfigError naming every invalid variable.
 */
export function loadRateLimitConfig(env: Record<string, unknown>): RateLimitConfig {
  const parsed = rateLimitConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const variables = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '(config)')))];
  const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ConfigError(variables, detail);
}

/** {@link loadRateLimitConfig}, parsed once per isolate and variable values (`vars-memo.ts`). */
export const cachedRateLimitConfig = memoizeByVars(
  Object.keys(rateLimitConfigSchema.shape),
  loadRateLimitConfig,
);
