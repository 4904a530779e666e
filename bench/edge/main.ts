/**
 * `bench:edge`: the edge Worker's cache-hit latency against a baseline Worker, in one run.
 *
 *   node --import tsx bench/edge/main.ts [--duration 10] [--connections 16] [--out FILE]
 *     [--users 1000] [--rounds 2] [--warmup 2] [--candidates 200] [--limit 20] [--cpu-time 3000]
 *
 * Serves the real Worker (bundled by wrangler from wrangler.toml) and a baseline Worker (one KV
 * get) in workerd on loopback, each with a warm KV, drives them alternately with autocannon,
 * then times the handler's own CPU under Node (`cpu-measure.ts`). Progress goes to stderr; the
 * last stdout line is the JSON result (also written to `--out`).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseEdgeBenchArgs } from './args';
import { measureEdgeCpu } from './cpu-measure';
import { type PhaseResult, runPhase } from './load';
import { edgeReport, edgeTable, mergePhases } from './report';
import { baselinePath, benchUsers, realPath } from './users';
import { bundleWorker, Resources, type RunningWorker, startWorker } from './workers';

const args = parseEdgeBenchArgs();
const progress = (msg: string) => process.stderr.write(`[bench:edge] ${msg}\n`);
const res = new Resources();
const interrupt = new AbortController();

process.once('SIGINT', () => {
  progress('interrupted: stopping workers');
  interrupt.abort();
  void res.cleanup().finally(() => process.exit(130));
});

async function run(): Promise<Record<string, unknown>> {
  const before = loadavg();
  progress(`bundling the Worker (${args.config})`);
  const bundleDir = await bundleWorker(res, args.config);
  progress(
    `starting both Workers in workerd and warming KV (${args.users} users x ${args.candidates} candidates)`,
  );
  const common = { config: args.config, users: args.users, candidates: args.candidates };
  const [real, baseline] = await Promise.all([
    startWorker(res, 'real', { ...common, bundleDir, withoutRateLimiter: args.withoutRateLimiter }),
    startWorker(res, 'baseline', common),
  ]);
  progress(
    `ready: real ${real.url} (warm ${real.warmMs} ms), baseline ${baseline.url} (warm ${baseline.warmMs} ms)`,
  );

  const users = benchUsers(args.users);
  const paths = {
    real: users.map((u) => realPath(u, args.limit, !args.withoutSession)),
    baseline: users.map((u) => baselinePath(u)),
  };
  const phase = (w: RunningWorker, seconds: number) =>
    runPhase({
      url: w.url,
      paths: paths[w.kind],
      connections: args.connections,
      seconds,
      expectHit: w.kind === 'real',
      signal: interrupt.signal,
    });

  if (args.warmup > 0) {
    for (const w of [baseline, real]) {
      progress(`warm-up ${w.kind}: ${args.warmup} s`);
      await phase(w, args.warmup);
    }
  }
  // ABBA order (baseline, real, real, baseline, ...) so a drift in machine load hits both alike.
  const phases: Record<'real' | 'baseline', PhaseResult[]> = { real: [], baseline: [] };
  const slice = args.duration / args.rounds;
  for (let r = 0; r < args.rounds; r++) {
    for (const w of r % 2 === 0 ? [baseline, real] : [real, baseline]) {
      if (interrupt.signal.aborted) throw new Error('interrupted');
      const p = await phase(w, slice);
      phases[w.kind].push(p);
      progress(
        `round ${r + 1}/${args.rounds} ${w.kind}: ${p.responses} responses in ${p.seconds} s, non-hit ${p.nonHit}, errors ${p.errors}`,
      );
    }
  }
  // The CPU measurement runs alone: workerd idle would still be noise, so it is stopped first.
  await Promise.all([real.stop(), baseline.stop()]);
  progress(`timing the handler's CPU under Node (${args.cpuTimeMs} ms)`);
  const cpu = await measureEdgeCpu({
    candidates: args.candidates,
    limit: args.limit,
    timeMs: args.cpuTimeMs,
    stages: false,
  });

  const hit = mergePhases(phases.real);
  const base = mergePhases(phases.baseline);
  console.table(edgeTable(hit, base, cpu));
  const report = edgeReport(args, hit, base, cpu, { before, after: loadavg() });
  // Loud failure: figures over fallbacks, 429s or errors would not be hit latency.
  const problems: string[] = [];
  if (hit.responses === 0 || base.responses === 0) problems.push('a Worker answered no requests');
  if (hit.nonHit > hit.responses / 2) problems.push(`most edge responses were not 200 hits (${hit.nonHit})`);
  if (base.nonHit > base.responses / 2)
    problems.push(`most baseline responses were not 200 (${base.nonHit})`);
  if (problems.length > 0) {
    console.log(JSON.stringify(report));
    throw new Error(`${problems.join('; ')}; statuses ${JSON.stringify(hit.statuses)}`);
  }
  if (hit.nonHit > 0 || hit.errors > 0)
    progress(`warning: ${hit.nonHit} non-hit responses, ${hit.errors} errors`);
  return report;
}

try {
  const report = await run();
  if (args.out) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report));
} catch (error) {
  progress(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await res.cleanup();
}
