/**
 * The Worker's own CPU on a cache hit (see `cpu-measure.ts`).
 *
 *   node --import tsx bench/edge/cpu.ts [--candidates 200] [--limit 20] [--time 3000]
 *
 * Prints a table, then one JSON line with `worker_cpu_p50_us`, `_p95_us`, `_p99_us`.
 */
import { parseArgs } from 'node:util';
import { measureEdgeCpu } from './cpu-measure';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '200' },
    limit: { type: 'string', default: '20' },
    time: { type: 'string', default: '3000' },
  },
});

const cpu = await measureEdgeCpu({
  candidates: Number(values.candidates),
  limit: Number(values.limit),
  timeMs: Number(values.time),
});
console.table(cpu.table);
console.log(
  JSON.stringify({
    candidates: cpu.candidates,
    limit: cpu.limit,
    record_bytes: cpu.record_bytes,
    samples: cpu.samples,
    worker_cpu_p50_us: cpu.p50_us,
    worker_cpu_p95_us: cpu.p95_us,
    worker_cpu_p99_us: cpu.p99_us,
    worker_cpu_p99_ms: Math.round(cpu.p99_us) / 1000,
    stage_p50_us: cpu.stage_p50_us,
    node: process.version,
  }),
);
