import { parseArgs } from 'node:util';

/** Settings of one `bench:edge` run. */
export interface EdgeBenchArgs {
  /** Seconds of measured load per Worker, split over `rounds`. */
  readonly duration: number;
  readonly connections: number;
  /** Users with a warm record; requests rotate over them. */
  readonly users: number;
  readonly candidates: number;
  readonly limit: number;
  /** Alternating phases per Worker (baseline, real, real, baseline, ...). */
  readonly rounds: number;
  /** Unmeasured seconds of load per Worker before the first phase. */
  readonly warmup: number;
  /** tinybench time for the CPU measurement, ms. */
  readonly cpuTimeMs: number;
  readonly config: string;
  /** Serve the real Worker without its RATE_LIMITER binding. */
  readonly withoutRateLimiter: boolean;
  /** Send no `session_id`: the hit skips the session read (and re-scores for an empty session). */
  readonly withoutSession: boolean;
  readonly out: string | undefined;
}

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return n;
}

/** Parses the command line. @throws Error on an invalid value. */
export function parseEdgeBenchArgs(argv: string[] = process.argv.slice(2)): EdgeBenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '16' },
      users: { type: 'string', default: '1000' },
      candidates: { type: 'string', default: '200' },
      limit: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '2' },
      'cpu-time': { type: 'string', default: '3000' },
      config: { type: 'string', default: 'wrangler.toml' },
      out: { type: 'string' },
      'without-rate-limiter': { type: 'boolean', default: false },
      'without-session': { type: 'boolean', default: false },
    },
  });
  return {
    duration: positive('duration', values.duration),
    connections: Math.round(positive('connections', values.connections)),
    users: Math.round(positive('users', values.users)),
    candidates: Math.round(positive('candidates', values.candidates)),
    limit: Math.round(positive('limit', values.limit)),
    rounds: Math.round(positive('rounds', values.rounds)),
    warmup: Number(values.warmup) || 0,
    cpuTimeMs: positive('cpu-time', values['cpu-time']),
    config: values.config,
    withoutRateLimiter: values['without-rate-limiter'],
    withoutSession: values['without-session'],
    out: values.out,
  };
}
