/**
 * Turns the load phases and the CPU measurement into the final JSON object and a table.
 */
import type { EdgeBenchArgs } from './args';
import type { EdgeCpuResult } from './cpu-measure';
import type { PhaseResult } from './load';
import { quantile, round } from './stats';

/** One Worker's phases merged: every response of every phase counts once. */
export interface WorkerLoad {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly rps: number;
  readonly responses: number;
  readonly nonHit: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
  /** autocannon's whole-ms p99 of each phase. */
  readonly autocannonP99: number[];
}

/** Merges phases of one Worker. */
export function mergePhases(phases: readonly PhaseResult[]): WorkerLoad {
  const all = phases.flatMap((p) => p.latenciesMs).sort((a, b) => a - b);
  const seconds = phases.reduce((s, p) => s + p.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const p of phases)
    for (const [k, v] of Object.entries(p.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    p50: quantile(all, 0.5),
    p95: quantile(all, 0.95),
    p99: quantile(all, 0.99),
    rps: seconds > 0 ? all.length / seconds : 0,
    responses: all.length,
    nonHit: phases.reduce((s, p) => s + p.nonHit, 0),
    non2xx: phases.reduce((s, p) => s + p.non2xx, 0),
    errors: phases.reduce((s, p) => s + p.errors, 0),
    statuses,
    autocannonP99: phases.map((p) => p.autocannon.p99),
  };
}

/** Targets from the issue. */
export const TARGETS = { ratio_p95_max: 1.3, worker_cpu_p99_ms_below: 1 } as const;

/** The final JSON object of a run. */
export function edgeReport(
  args: EdgeBenchArgs,
  hit: WorkerLoad,
  baseline: WorkerLoad,
  cpu: EdgeCpuResult,
  loadavg: { before: number[]; after: number[] },
): Record<string, unknown> {
  const ratio = baseline.p95 > 0 ? hit.p95 / baseline.p95 : Number.POSITIVE_INFINITY;
  const cpuP99Ms = round(cpu.p99_us / 1000);
  return {
    hit_p50_ms: round(hit.p50),
    hit_p95_ms: round(hit.p95),
    hit_p99_ms: round(hit.p99),
    rps: Math.round(hit.rps),
    baseline_p50_ms: round(baseline.p50),
    baseline_p95_ms: round(baseline.p95),
    baseline_p99_ms: round(baseline.p99),
    baseline_rps: Math.round(baseline.rps),
    ratio_p95: round(ratio, 2),
    worker_cpu_p50_ms: round(cpu.p50_us / 1000),
    worker_cpu_p95_ms: round(cpu.p95_us / 1000),
    worker_cpu_p99_ms: cpuP99Ms,
    candidates: cpu.candidates,
    record_bytes: cpu.record_bytes,
    non_hit: hit.nonHit,
    baseline_non_200: baseline.nonHit,
    errors: hit.errors + baseline.errors,
    non2xx: hit.non2xx + baseline.non2xx,
    hit_responses: hit.responses,
    baseline_responses: baseline.responses,
    hit_statuses: hit.statuses,
    autocannon_p99_ms: { hit: hit.autocannonP99, baseline: baseline.autocannonP99 },
    duration_s: args.duration,
    rounds: args.rounds,
    connections: args.connections,
    users: args.users,
    rate_limiter_binding: !args.withoutRateLimiter,
    session_read: !args.withoutSession,
    limit: args.limit,
    targets: {
      ratio_p95_max: TARGETS.ratio_p95_max,
      worker_cpu_p99_ms_below: TARGETS.worker_cpu_p99_ms_below,
      ratio_p95_met: ratio <= TARGETS.ratio_p95_max,
      worker_cpu_p99_met: cpuP99Ms < TARGETS.worker_cpu_p99_ms_below,
    },
    loadavg_before: loadavg.before.map((x) => round(x, 2)),
    loadavg_after: loadavg.after.map((x) => round(x, 2)),
    node: process.version,
  };
}

/** Human-readable summary, one row per Worker. */
export function edgeTable(
  hit: WorkerLoad,
  baseline: WorkerLoad,
  cpu: EdgeCpuResult,
): Record<string, unknown>[] {
  const row = (name: string, w: WorkerLoad) => ({
    worker: name,
    'p50 ms': round(w.p50, 2),
    'p95 ms': round(w.p95, 2),
    'p99 ms': round(w.p99, 2),
    'req/s': Math.round(w.rps),
    responses: w.responses,
    'non-hit / non-200': w.nonHit,
    errors: w.errors,
  });
  return [
    row('baseline (1 KV get)', baseline),
    row('edge hit', hit),
    {
      worker: `handler CPU (Node, ${cpu.candidates} cand.)`,
      'p50 ms': round(cpu.p50_us / 1000),
      'p95 ms': round(cpu.p95_us / 1000),
      'p99 ms': round(cpu.p99_us / 1000),
      responses: cpu.samples,
    },
  ];
}
