import type { KinesisStreamEvent } from 'aws-lambda';
import type { KinesisHandler } from '../../local/kinesis-runner';
import { decodeEventRecord } from '../../shared/schemas/event-record';

/**
 * Throws once in the middle of a batch: once armed, the next invocation lets `writesBefore`
 * writes through, fails the rest, and then the whole invocation throws, the way a Lambda that
 * crashes half-way leaves some keys written and the batch to be redelivered.
 */
export class CrashSwitch {
  private phase: 'idle' | 'armed' | 'tripping' | 'done' = 'idle';
  private writes = 0;
  crashed = false;

  constructor(private readonly writesBefore = 3) {}

  arm(): void {
    if (this.phase === 'idle') this.phase = 'armed';
  }

  /**
   * Wraps the named write methods of a store so a tripping invocation stops writing part-way. A
   * batched method (its first argument an array of writes) counts each entry as one write: it is
   * called with the entries that still fit, and then the call fails.
   */
  guard<T extends object>(store: T, methods: readonly (keyof T)[], batched: readonly (keyof T)[] = []): T {
    const names = new Set<PropertyKey>(methods);
    const many = new Set<PropertyKey>(batched);
    return new Proxy(store, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (many.has(prop)) {
          return async (entries: readonly unknown[], ...rest: unknown[]) => {
            if (this.phase !== 'tripping') return value.apply(target, [entries, ...rest]);
            const room = Math.max(0, this.writesBefore - this.writes);
            const out = room > 0 ? await value.apply(target, [entries.slice(0, room), ...rest]) : [];
            this.writes += Math.min(room, entries.length);
            if (entries.length > room) throw new Error('injected crash: write refused');
            return out;
          };
        }
        if (!names.has(prop)) return value.bind(target);
        return async (...args: unknown[]) => {
          if (this.phase === 'tripping' && this.writes >= this.writesBefore)
            throw new Error('injected crash: write refused');
          const out = await value.apply(target, args);
          if (this.phase === 'tripping') this.writes++;
          return out;
        };
      },
    });
  }

  wrap(handler: KinesisHandler): KinesisHandler {
    return async (event, context) => {
      if (this.phase !== 'armed') return handler(event, context);
      this.phase = 'tripping';
      this.writes = 0;
      try {
        await handler(event, context);
      } finally {
        this.phase = 'done';
        this.crashed = true;
      }
      throw new Error('injected crash in the middle of a batch');
    };
  }
}

/** Per handler: when each event id was first seen stored, as `event ts -> stored` in ms. */
export class FreshnessTracker {
  readonly lags = new Map<string, Map<string, number>>();
  /** Batches the first handler took without failures, kept for the CPU measurement. */
  readonly batches: KinesisStreamEvent[] = [];

  wrap(
    name: string,
    handler: KinesisHandler,
    opts: { keepBatches?: boolean; after?: (stored: number) => void } = {},
  ): KinesisHandler {
    const seen = new Map<string, number>();
    this.lags.set(name, seen);
    return async (event, context) => {
      const t0 = Date.now();
      const res = await handler(event, context);
      if (process.env.BENCH_DEBUG)
        console.log(`${name} ${event.Records.length} records ${Date.now() - t0} ms`);
      const now = Date.now();
      const failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      for (const r of event.Records) {
        if (failed.has(r.kinesis.sequenceNumber)) continue;
        const events = decodeEventRecord(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as {
          event_id: string;
          ts: string;
        }[];
        for (const e of events) if (!seen.has(e.event_id)) seen.set(e.event_id, now - Date.parse(e.ts));
      }
      if (opts.keepBatches && failed.size === 0) this.batches.push(event);
      opts.after?.(seen.size);
      return res;
    };
  }

  count(name: string): number {
    return this.lags.get(name)?.size ?? 0;
  }

  /** Per event, the latest of the handlers' store times: when all of its state was current. */
  allStored(exclude: ReadonlySet<string> = new Set()): number[] {
    const maps = [...this.lags.values()];
    const first = maps[0];
    if (!first) return [];
    return [...first.keys()].flatMap((id) => {
      if (exclude.has(id)) return [];
      const lags = maps.map((m) => m.get(id));
      return lags.every((l) => l !== undefined) ? [Math.max(...(lags as number[]))] : [];
    });
  }
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
