/**
 * Child process: serves one Worker in workerd (Miniflare) on a free loopback port, warms its KV
 * and prints `READY {"url":...}`; SIGTERM disposes it. Run by `workers.ts` in its own process
 * group, so stopping the group also stops workerd.
 *
 *   node --import tsx bench/edge/host.ts --kind real|baseline --bundle DIR --users N --candidates N
 */
import { parseArgs } from 'node:util';
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from 'miniflare';
import { BASELINE_WORKER_SCRIPT } from './baseline-worker';
import { edgeFixture } from './fixtures';
import { realWorkerOptions } from './real-worker';
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
const worker =
  kind === 'real'
    ? realWorkerOptions(values.bundle as string, values.config as string, {
        withoutRateLimiter: values['without-rate-limiter'] === true,
      })
    : baselineWorker();
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
