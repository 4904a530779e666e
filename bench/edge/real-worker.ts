/**
 * The Miniflare options of the real Worker under benchmark, shared by the load host and the
 * profiler so both measure the same Worker.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { V4WorkerOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

/**
 * The real Worker's bindings from wrangler.toml (KV, the RATE_LIMITER binding at its configured
 * limit, queues), with vars that keep the bench on the hit path: in-isolate buckets far above the
 * load, answers fresh for the whole run, and an origin that refuses at once, so a miss shows up
 * as a fast fallback instead of a 250 ms timeout.
 */
export function realWorkerOptions(
  bundleDir: string,
  config: string,
  opts: { withoutRateLimiter?: boolean } = {},
): V4WorkerOptions {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config, '');
  // The bundle's modules listed one by one: Miniflare 5 will not convert v4 `modulesRules`.
  const { modulesRules: _rules, ...options } = workerOptions as V4WorkerOptions & { modulesRules?: unknown };
  // Miniflare simulates the binding in workerd; Cloudflare runs it natively. Dropping it shows its share.
  if (opts.withoutRateLimiter) delete (options as { ratelimits?: unknown }).ratelimits;
  return {
    ...options,
    name: 'attune-edge',
    modules: bundleModules(bundleDir),
    // Module names are paths relative to this; the bundle lives outside the repository.
    modulesRoot: bundleDir,
    bindings: {
      ...(options.bindings as Record<string, unknown> | undefined),
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
      CACHE_FRESH_SECONDS: '86400',
      CACHE_MAX_STALE_SECONDS: '86400',
      ORIGIN_URL: 'http://127.0.0.1:9',
    },
  } as V4WorkerOptions;
}

/** `index.js` first (the entry), then the text modules wrangler left beside it (`*.html`, `*.txt`). */
function bundleModules(dir: string): { type: 'ESModule' | 'Text'; path: string }[] {
  const text = readdirSync(dir).filter((f) => /\.(html|txt)$/.test(f));
  return [
    { type: 'ESModule', path: join(dir, 'index.js') },
    ...text.map((f) => ({ type: 'Text' as const, path: join(dir, f) })),
  ];
}
