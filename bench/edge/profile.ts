/**
 * Profiles the real Worker inside workerd: serves the deploy bundle in Miniflare with the V8
 * inspector on, loads it with hits, and writes a `.cpuprofile` (open it in Chrome DevTools)
 * and prints the functions with the most self time.
 *
 *   npm run bench:edge-profile -- --out edge.cpuprofile [--seconds 5] [--connections 1] [--users 300]
 *     [--without-rate-limiter]
 *
 * Line numbers refer to the bundle, which the run deletes; `wrangler deploy --dry-run --outdir`
 * rebuilds the same file. The inspector slows the Worker, so read shares, not milliseconds.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { edgeFixture } from './fixtures';
import { runPhase } from './load';
import { realWorkerOptions } from './real-worker';
import { benchUsers, realPath, recsKeyOf, sessionKey } from './users';
import { bundleWorker, Resources } from './workers';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'edge.cpuprofile' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '1' },
    users: { type: 'string', default: '300' },
    'without-rate-limiter': { type: 'boolean', default: false },
    config: { type: 'string', default: 'wrangler.toml' },
  },
});

const res = new Resources();
const dir = await bundleWorker(res, values.config);
const worker = realWorkerOptions(dir, values.config, {
  withoutRateLimiter: values['without-rate-limiter'] === true,
});
const inspectorPort = 9300 + Math.floor(Math.random() * 500);
const mf = new Miniflare(
  convertV4MiniflareOptions({ workers: [worker], host: '127.0.0.1', port: 0, inspectorPort }),
);
try {
  const url = await mf.ready;
  const kv = await mf.getKVNamespace('RECS_KV');
  const { recordRaw, sessionRaw } = edgeFixture({ candidates: 200 });
  const users = benchUsers(Number(values.users));
  await kv.put(sessionKey, sessionRaw);
  for (let i = 0; i < users.length; i += 16)
    await Promise.all(users.slice(i, i + 16).map((u) => kv.put(recsKeyOf(u), recordRaw)));

  const paths = users.map((u) => realPath(u, 20));
  const load = (seconds: number) =>
    runPhase({
      url: url.href.replace(/\/$/, ''),
      paths,
      connections: Number(values.connections),
      seconds,
      expectHit: true,
    });
  await load(2);

  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title.includes('attune-edge')) ?? targets[0];
  if (!target) throw new Error('no inspector target');
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r, j) => {
    ws.onopen = r;
    ws.onerror = j;
  });
  let id = 0;
  const pending = new Map<number, (v: unknown) => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  };
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((r) => {
      const i = ++id;
      pending.set(i, r);
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 50 });
  await call('Profiler.start');
  const result = await load(Number(values.seconds));
  const { profile } = (await call('Profiler.stop')) as { profile: Profile };
  ws.close();
  writeFileSync(values.out, JSON.stringify(profile));
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(
    `${result.responses} responses (${result.nonHit} not hits) in ${result.seconds} s, p50 ${p50.toFixed(2)} ms under the profiler; profile in ${values.out}`,
  );
  summarize(profile);
} finally {
  await mf.dispose();
  await res.cleanup();
}

interface Profile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Prints the functions with the most time, self and inclusive (a function counted once per sample). */
function summarize(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const name = (id: number) => {
    const f = (byId.get(id) as Profile['nodes'][number]).callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(name(id), (self.get(name(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = name(cur);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
    }
  }
  const print = (title: string, table: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [n, t] of [...table].sort((a, b) => b[1] - a[1]).slice(0, 30))
      console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${n}`);
  };
  print('self time', self);
  print('inclusive time', inclusive);
}
