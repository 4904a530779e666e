/**
 * The Worker's own CPU on a cache hit, measured under Node (Workers freeze timers while code
 * runs, so this cannot be timed inside workerd): decode a 200-candidate KV record and a session
 * state, re-score, diversify, explain, cut to the page and serialize the answer.
 *
 *   node --import tsx bench/edge/cpu.ts [--candidates 200] [--limit 20] [--time 3000]
 *
 * Prints a table, then one JSON line with `worker_cpu_p50_us`, `_p95_us`, `_p99_us`.
 */
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { recsRecordSchema } from '../../edge-worker/src/cache/records';
import { buildPage } from '../../edge-worker/src/recommend/page';
import { sessionStateSchema, toSignals } from '../../edge-worker/src/session/state';
import type { CachedCandidate } from '../../shared/schemas/recommendation';
import { SOURCES } from '../../shared/scoring/candidate';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '200' },
    limit: { type: 'string', default: '20' },
    time: { type: 'string', default: '3000' },
  },
});
const depth = Number(values.candidates);
const limit = Number(values.limit);

// Deterministic inputs (mulberry32), so runs compare like with like.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const vector = () => Array.from({ length: 32 }, () => round4(rand() * 2 - 1));
const CATEGORIES = ['books', 'shoes', 'games', 'garden', 'kitchen', 'music', 'toys', 'sports'];

const candidates: CachedCandidate[] = Array.from({ length: depth }, (_, i) => ({
  item_id: `item-${String(i).padStart(5, '0')}`,
  category: CATEGORIES[i % CATEGORIES.length] as string,
  score: round4(1 - i / (depth * 1.1)),
  source: SOURCES[i % 5] as CachedCandidate['source'],
  popularity: round4(rand()),
  freshness: round4(rand()),
  vector: vector(),
  title: `A catalog item title number ${i}`,
}));
const response = {
  items: candidates.slice(0, 50).map((c, position) => ({
    item_id: c.item_id,
    score: c.score,
    position,
    reasons: [{ code: 'popular' as const, text: `Popular in ${c.category}` }],
    sponsored: false,
    title: c.title,
    category: c.category,
  })),
  request_id: 'origin-req',
  decision_id: 'dec-1',
  surface: 'home',
  model_version: 'linear-default-v1',
  fallback_level: 0,
  served_by: 'origin' as const,
  candidates_retrieved: depth,
  candidates_scored: depth,
  timings_ms: { rank: 5 },
};
const recordRaw = JSON.stringify({ v: 2, stored_at: Date.now(), response, candidates });
const sessionRaw = JSON.stringify({
  seen: candidates.slice(0, 30).map((c) => c.item_id),
  hidden: [candidates[40]?.item_id],
  categories: { books: 3, shoes: 1 },
  vector: vector(),
  updated_at: Date.now(),
});

/** One hit, as the Worker does it after the two KV reads return their text. */
function hit(): string {
  const record = recsRecordSchema.parse(JSON.parse(recordRaw));
  const session = toSignals(sessionStateSchema.parse(JSON.parse(sessionRaw)));
  const page = buildPage(
    { items: record.response.items, candidates: record.v === 2 ? record.candidates : undefined },
    session,
    { limit, exclude: [] },
  );
  if (!page.rescored || page.items.length !== limit) throw new Error('bench hit did not re-score');
  return JSON.stringify({ ...record.response, items: page.items, served_by: 'edge-cache' });
}

const bench = new Bench({
  time: Number(values.time),
  warmupTime: 500,
  retainSamples: true,
  throws: true,
});
bench.add(`edge hit: ${depth} candidates -> ${limit} items`, hit);
// The stages alone, to see where the time goes (the JSON line reports the whole hit).
const decoded = recsRecordSchema.parse(JSON.parse(recordRaw));
const signals = toSignals(sessionStateSchema.parse(JSON.parse(sessionRaw)));
const list = { items: decoded.response.items, candidates: decoded.v === 2 ? decoded.candidates : undefined };
const built = buildPage(list, signals, { limit, exclude: [] });
bench.add('stage: JSON.parse record', () => JSON.parse(recordRaw));
const parsedRecord: unknown = JSON.parse(recordRaw);
bench.add('stage: zod record', () => recsRecordSchema.parse(parsedRecord));
bench.add('stage: rescore+diversify+explain', () => buildPage(list, signals, { limit, exclude: [] }));
bench.add('stage: serialize', () => JSON.stringify({ ...decoded.response, items: built.items }));
await bench.run();
console.table(bench.table());

const stageP50Us = Object.fromEntries(
  bench.tasks.slice(1).map((t) => {
    const r = t.result;
    return [t.name.replace('stage: ', ''), r && 'latency' in r ? Math.round(r.latency.p50 * 1e4) / 10 : null];
  }),
);
const task = bench.tasks[0];
const result = task?.result;
if (!result || !('latency' in result)) throw new Error('benchmark produced no statistics');
const samples = [...(result.latency.samples ?? [])].sort((a, b) => a - b);
const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0;
const us = (ms: number) => Math.round(ms * 1000 * 10) / 10;
console.log(
  JSON.stringify({
    candidates: depth,
    limit,
    record_bytes: recordRaw.length,
    samples: samples.length,
    worker_cpu_p50_us: us(q(0.5)),
    worker_cpu_p95_us: us(q(0.95)),
    worker_cpu_p99_us: us(q(0.99)),
    worker_cpu_p99_ms: Math.round(q(0.99) * 1000) / 1000,
    stage_p50_us: stageP50Us,
    node: process.version,
  }),
);
