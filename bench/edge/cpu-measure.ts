/**
 * The Worker's own CPU on a cache hit, timed under Node: Workers freeze timers while code runs,
 * so it cannot be timed inside workerd. Same code path as the Worker after its two KV reads:
 * decode the stamped record and session (`stamped-record.ts`), `buildPage`, serialize the answer.
 */
import { Bench } from 'tinybench';
import { z } from 'zod';
import {
  RECS_RECORD_FINGERPRINT,
  type RecsRecord,
  recsRecordSchema,
} from '../../edge-worker/src/cache/records';
import { readStamped } from '../../edge-worker/src/cache/stamped-record';
import { buildPage, type CachedList, cachedListOf, type Page } from '../../edge-worker/src/recommend/page';
import {
  SESSION_STATE_FINGERPRINT,
  type SessionState,
  sessionStateSchema,
  toSignals,
} from '../../edge-worker/src/session/state';
import type { SessionSignals } from '../../shared/scoring/candidate';
import { edgeFixture } from './fixtures';

/** Options for {@link measureEdgeCpu}. */
export interface EdgeCpuOptions {
  /** Candidates in the cached record. @default 200 */
  readonly candidates?: number;
  /** Items on the page. @default 20 */
  readonly limit?: number;
  /** tinybench time per task, ms. @default 3000 */
  readonly timeMs?: number;
  /** Also time each stage alone (for the table and `stage_p50_us`). @default true */
  readonly stages?: boolean;
}

/** Quantiles of one whole hit, plus where the time goes. */
export interface EdgeCpuResult {
  readonly candidates: number;
  readonly limit: number;
  readonly record_bytes: number;
  readonly samples: number;
  readonly p50_us: number;
  readonly p95_us: number;
  readonly p99_us: number;
  /** p50 of each stage alone, µs (empty without `stages`). */
  readonly stage_p50_us: Record<string, number | null>;
  /** tinybench's own table, for printing. */
  readonly table: ReturnType<Bench['table']>;
}

/** The one call into the page builder, so a change of its signature is a one-line change here. */
function pageOf(list: CachedList, session: SessionSignals, limit: number): Page {
  return buildPage(list, session, { limit, exclude: [], surface: 'home' });
}

const us = (ms: number) => Math.round(ms * 1000 * 10) / 10;

/** The Worker's reads: as in `KvEdgeCache` and `KvSessionStore`. */
function decodeRecord(raw: string): RecsRecord {
  const record = readStamped<RecsRecord>(JSON.parse(raw), RECS_RECORD_FINGERPRINT, recsRecordSchema);
  if (!record) throw new Error('bench record failed its schema');
  return record;
}

function decodeSession(raw: string): SessionState | undefined {
  return readStamped<SessionState>(JSON.parse(raw), SESSION_STATE_FINGERPRINT, sessionStateSchema);
}

/**
 * Times the hit path with tinybench and returns p50/p95/p99 of the whole hit from the raw samples.
 * @throws Error when the hit does not re-score (the fixture no longer exercises the hit path).
 */
export async function measureEdgeCpu(options: EdgeCpuOptions = {}): Promise<EdgeCpuResult> {
  const depth = options.candidates ?? 200;
  const limit = options.limit ?? 20;
  const { recordRaw, sessionRaw } = edgeFixture({ candidates: depth });
  // workerd forbids `new Function`, so zod runs there without its compiled parsers: time it so here.
  z.config({ jitless: true });

  const hit = (): string => {
    const record = decodeRecord(recordRaw);
    const session = toSignals(decodeSession(sessionRaw));
    const page = pageOf(cachedListOf(record), session, limit);
    if (!page.rescored || page.items.length !== limit) throw new Error('bench hit did not re-score');
    return JSON.stringify({ ...record.response, items: page.items, served_by: 'edge-cache' });
  };

  const bench = new Bench({
    time: options.timeMs ?? 3000,
    warmupTime: 500,
    retainSamples: true,
    throws: true,
  });
  bench.add(`edge hit: ${depth} candidates -> ${limit} items`, hit);
  if (options.stages ?? true) {
    const decoded = decodeRecord(recordRaw);
    const signals = toSignals(decodeSession(sessionRaw));
    const list = cachedListOf(decoded);
    const built = pageOf(list, signals, limit);
    const parsedRecord: unknown = JSON.parse(recordRaw);
    bench.add('stage: JSON.parse record', () => JSON.parse(recordRaw));
    // Not on the hit path while the stamp matches: what a record from older code costs once.
    bench.add('stage: zod record (unstamped)', () => recsRecordSchema.parse(parsedRecord));
    bench.add('stage: rescore+diversify+explain', () => pageOf(list, signals, limit));
    bench.add('stage: serialize', () => JSON.stringify({ ...decoded.response, items: built.items }));
  }
  await bench.run();

  const result = bench.tasks[0]?.result;
  if (!result || !('latency' in result)) throw new Error('benchmark produced no statistics');
  const samples = [...(result.latency.samples ?? [])].sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0;
  const stage_p50_us = Object.fromEntries(
    bench.tasks.slice(1).map((t) => {
      const r = t.result;
      return [t.name.replace('stage: ', ''), r && 'latency' in r ? us(r.latency.p50 ?? 0) : null];
    }),
  );
  return {
    candidates: depth,
    limit,
    record_bytes: recordRaw.length,
    samples: samples.length,
    p50_us: us(q(0.5)),
    p95_us: us(q(0.95)),
    p99_us: us(q(0.99)),
    stage_p50_us,
    table: bench.table(),
  };
}
