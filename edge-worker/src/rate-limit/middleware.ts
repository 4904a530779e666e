import type { Context, MiddlewareHandler } from 'hono';
import { problem } from '../../../shared/schemas/problem';
import type { AppEnv } from '../app-env';
import { problemResponse } from '../errors';
import { log } from '../log';
import { BucketStore } from './bucket-store';
import { clientKey } from './client-key';
import { cachedRateLimitConfig } from './config';

/** The window of the `RATE_LIMITER` binding (`simple.period` in wrangler.toml). */
export const BINDING_PERIOD_SECONDS = 10;

/** Which limit turned a request away, as named in the problem body. */
export type LimitName = 'edge-token-bucket' | 'RATE_LIMITER';

/** Options for {@link rateLimit}; the defaults are the Worker's own. */
export interface RateLimitOptions {
  /** @default one store per isolate, shared by every request it serves */
  readonly store?: BucketStore;
  /** @default Date.now */
  readonly now?: () => number;
}

const isolateBuckets = new BucketStore();

/**
 * Rate limits a route per client key (see `clientKey`): first this isolate's token bucket
 * (RATE_LIMIT_RPS, RATE_LIMIT_BURST), then, when bound, Cloudflare's `RATE_LIMITER` binding,
 * which counts across the isolates of a location. Over either limit the answer is a 429
 * problem with `Retry-After`. A failing binding lets the request through: the bucket has
 * already judged it, and an outage of the limiter must not become an outage of the API.
 */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<AppEnv> {
  const store = options.store ?? isolateBuckets;
  const clock = options.now ?? (() => Date.now());
  return async (c, next) => {
    // Preflights carry no identity and cost nothing; counting them would halve a browser's budget.
    if (c.req.method === 'OPTIONS') return next();
    const config = cachedRateLimitConfig(c.env as unknown as Record<string, unknown>);
    const limits = { ratePerSecond: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST };
    const key = clientKey(c);
    const now = clock();
    // The limits are part of the bucket key, so a changed limit never reads a bucket filled under the old one.
    const taken = store.take(`${limits.ratePerSecond}/${limits.burst}|${key}`, now, limits);
    if (!taken.allowed) {
      return tooManyRequests(c, 'edge-token-bucket', taken.retryAfterSeconds, {
        detail: `more than ${limits.burst} requests at once or ${limits.ratePerSecond} per second for this client`,
        rate_per_second: limits.ratePerSecond,
        burst: limits.burst,
      });
    }
    const binding: RateLimit | undefined = c.env.RATE_LIMITER;
    if (binding) {
      const outcome = await binding.limit({ key }).catch((error: unknown) => {
        log('warn', 'rate limiter binding failed; request allowed', {
          request_id: c.get('requestId'),
          error,
        });
        return { success: true };
      });
      if (!outcome.success) {
        const intoWindow = Math.floor(now / 1000) % BINDING_PERIOD_SECONDS;
        return tooManyRequests(c, 'RATE_LIMITER', BINDING_PERIOD_SECONDS - intoWindow, {
          detail: `this client exceeded the per-location limit of the RATE_LIMITER binding (per ${BINDING_PERIOD_SECONDS} s)`,
          period_seconds: BINDING_PERIOD_SECONDS,
        });
      }
    }
    await next();
  };
}

function tooManyRequests(
  c: Context<AppEnv>,
  limit: LimitName,
  retryAfterSeconds: number,
  extra: { detail: string } & Record<string, number | string>,
): Response {
  const requestId = c.get('requestId');
  const { detail, ...members } = extra;
  const body = {
    ...problem(429, 'Too many requests', { detail, ...(requestId ? { request_id: requestId } : {}) }),
    // RFC 9457 extension members: which limit, so a client or an operator knows what to tune.
    limit,
    retry_after_seconds: retryAfterSeconds,
    ...members,
  };
  const res = problemResponse(body, requestId);
  res.headers.set('retry-after', String(retryAfterSeconds));
  return res;
}
