/**
 * Child process: serves one Worker in workerd (Miniflare) on a free loopback port, warms its KV
 * and prints `READY {"url":...}`; SIGTERM disposes it. Run by `workers.ts` in its own process
 * group, so stopping the group also stops workerd.
 *
 *   node --import tsx bench/edge/host.ts --kind real|baseline --bundle DIR --users N --candidates N
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { BASELINE_WORKER_SCRIPT } from './baseline-worker';
import { edgeFixture } from './fixtures';
import { benchUsers, recsKeyOf, sessionKey } from './users';

const { values } = parseArgs({
  options: {
    kind: { type: 'string' },
    bundle: { type: 'string' },
    config: { type: 'string', default: 'wrangler.toml' },
    users: { type: 'string', default: '1000' },
    candidates: { type: 'string', default: '200' },
    'without-rate-limiter': { type: 'boolean', default: false },
  },
});

/**
 * The real Worker's bindings from wrangler.toml (KV, the RATE_LIMITER binding at its configured
 * limit, queues), with vars that keep the bench on the hit path: in-isolate buckets far above the
 * load, answers fresh for the whole run, and an origin that refuses at once, so a miss shows up
 * as a fast fallback instead of a 250 ms timeout.
 */
function realWorker(bundleDir: string): V4WorkerOptions {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(values.config as string, '');
  // The bundle's modules listed one by one: Miniflare 5 will not convert v4 `modulesRules`.
  const { modulesRules: _rules, ...options } = workerOptions as V4WorkerOptions & { modulesRules?: unknown };
  // Miniflare simulates the binding in workerd; Cloudflare runs it natively. Dropping it shows its share.
  if (values['without-rate-limiter']) delete (options as { ratelimits?: unknown }).ratelimits;
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

function baselineWorker(): V4WorkerOptions {
  return {
    name: 'baseline',
    modules: true,
    script: BASELINE_WORKER_SCRIPT,
    compatibilityDate: '2026-10-01',
    kvNamespaces: { RECS_KV: 'bench-baseline' },
  };
}

const kind = values.kind;
if (kind !== 'real' && kind !== 'baseline') throw new Error('--kind must be real or baseline');
if (kind === 'real' && !values.bundle) throw new Error('--bundle DIR is required for --kind real');
const worker = kind === 'real' ? realWorker(values.bundle as string) : baselineWorker();
// No resourcePersistencePath: KV lives in a temporary directory Miniflare removes on dispose.
const mf = new Miniflare(convertV4MiniflareOptions({ workers: [worker], host: '127.0.0.1', port: 0 }));

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await mf.dispose().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

const url = await mf.ready;
const kv = await mf.getKVNamespace('RECS_KV');
const { recordRaw, sessionRaw } = edgeFixture({ candidates: Number(values.candidates) });
const users = benchUsers(Number(values.users));
const started = Date.now();
await kv.put(sessionKey, sessionRaw);
// A few writes in flight: one at a time costs a round trip each through Miniflare's proxy.
for (let i = 0; i < users.length; i += 16) {
  await Promise.all(users.slice(i, i + 16).map((u) => kv.put(recsKeyOf(u), recordRaw)));
}
process.stdout.write(
  `READY ${JSON.stringify({ url: url.href, users: users.length, record_bytes: recordRaw.length, warm_ms: Date.now() - started })}\n`,
);
