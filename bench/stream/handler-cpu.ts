/**
 * Stream handler compute alone, without the stack: `npm run bench:stream-cpu -- [--events 20000]
 * [--users 200] [--items 240] [--rate 2000] [--per-request 150] [--poll-ms 600] [--batch-size 10000]
 * [--duplicate-rate 0.02] [--warmup 3] [--reps 15]`.
 *
 * Each rep runs the same synthetic batches (shaped like bench:stream's, `cpu-batches.ts`) through
 * fresh handlers over null adapters, exactly as `bench:stream` measures `handler_cpu_us_per_event`
 * (`cpu.ts`), after warm-up reps that let the JIT settle. Prints µs/event per handler as
 * p50/p95/p99 (and the minimum) over the reps, then one JSON line.
 */
import { parseArgs } from 'node:util';

// EMF lines per batch would fill stdout and time the metrics sink; the handlers still build them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const { generateCatalog } = await import('../../local/seed/catalog');
const { decodeEventRecord } = await import('../../shared/schemas/event-record');
const { quantile, round } = await import('../edge/stats');
const { syntheticBatches } = await import('./cpu-batches');
const { measureHandlerCpu } = await import('./cpu');
const { HANDLER_NAMES } = await import('./handlers');

type Quantiles = { p50: number; p95: number; p99: number; min: number };

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    users: { type: 'string', default: '200' },
    items: { type: 'string', default: '240' },
    rate: { type: 'string', default: '2000' },
    'per-request': { type: 'string' },
    'poll-ms': { type: 'string', default: '600' },
    'batch-size': { type: 'string', default: '10000' },
    'duplicate-rate': { type: 'string', default: '0.02' },
    warmup: { type: 'string', default: '3' },
    reps: { type: 'string', default: '15' },
  },
});
const num = (k: keyof typeof values) => {
  const n = Number(values[k]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${k} must be a non-negative number`);
  return n;
};
const items = num('items');
const reps = Math.max(1, num('reps'));
const batches = syntheticBatches({
  events: num('events'),
  users: num('users'),
  itemIds: generateCatalog({ items }).map((i) => i.item_id),
  eventsPerSecond: num('rate'),
  ...(values['per-request'] ? { perRequest: num('per-request') } : {}),
  pollMs: num('poll-ms'),
  batchSize: num('batch-size'),
  duplicateRate: num('duplicate-rate'),
});
const records = batches.reduce((n, b) => n + b.Records.length, 0);
const events = batches.reduce(
  (n, b) =>
    n + b.Records.reduce((m, r) => m + decodeEventRecord(Buffer.from(r.kinesis.data, 'base64')).length, 0),
  0,
);

for (let i = 0; i < num('warmup'); i++) await measureHandlerCpu(batches, items);
const samples: Record<string, number[]> = Object.fromEntries([...HANDLER_NAMES, 'total'].map((n) => [n, []]));
for (let i = 0; i < reps; i++) {
  const rep = await measureHandlerCpu(batches, items);
  for (const n of HANDLER_NAMES) samples[n]?.push(rep.per[n]);
  samples.total?.push(rep.total);
}

const summary = Object.fromEntries(
  Object.entries(samples).map(([name, xs]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const q = (p: number) => round(quantile(sorted, p), 1);
    // The least a rep took: on a shared machine, other load only ever adds to a rep's CPU time.
    return [name, { p50: q(0.5), p95: q(0.95), p99: q(0.99), min: q(0) }];
  }),
) as Record<string, Quantiles>;
const total = summary.total as Quantiles;
// Pure compute: what one core would sustain running the three handlers and nothing else.
const eventsPerSecond = Math.round(1e6 / total.p50);

console.log(
  `${events} events in ${records} records, ${batches.length} batches; ${reps} reps after ${num('warmup')} warm-up`,
);
console.table(summary);
console.log(`handlers alone: ${eventsPerSecond} events/s per core at p50`);
console.log(
  JSON.stringify({
    events,
    records,
    batches: batches.length,
    reps,
    handler_cpu_us_per_event: total,
    per_handler_us_per_event: Object.fromEntries(HANDLER_NAMES.map((n) => [n, summary[n]])),
    handler_events_per_s: eventsPerSecond,
    node: process.version,
  }),
);
