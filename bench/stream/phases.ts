import type { KinesisClient } from '@aws-sdk/client-kinesis';

export interface PhaseTime {
  readonly calls: number;
  /** Wall time with at least one call in flight: concurrent calls of one phase count once. */
  readonly busy_ms: number;
  /** Summed durations: with `calls`, the mean time of one call. */
  readonly total_ms: number;
  readonly max_ms: number;
}

interface Open {
  inFlight: number;
  since: number;
  calls: number;
  busy: number;
  total: number;
  max: number;
}

/**
 * Where a handler's time goes, per phase (a store method, the whole invocation, a Kinesis call).
 * Busy time rather than summed durations: with 16 writes in flight, summed durations would
 * overstate a phase sixteen-fold.
 */
export class PhaseClock {
  private readonly phases = new Map<string, Map<string, Open>>();
  private recording = false;

  start(): void {
    this.phases.clear();
    this.recording = true;
  }

  stop(): void {
    this.recording = false;
  }

  async time<R>(group: string, phase: string, fn: () => Promise<R>): Promise<R> {
    if (!this.recording) return fn();
    const byPhase = this.phases.get(group) ?? new Map<string, Open>();
    this.phases.set(group, byPhase);
    const p = byPhase.get(phase) ?? { inFlight: 0, since: 0, calls: 0, busy: 0, total: 0, max: 0 };
    byPhase.set(phase, p);
    const t0 = performance.now();
    if (p.inFlight++ === 0) p.since = t0;
    try {
      return await fn();
    } finally {
      const t1 = performance.now();
      p.calls++;
      p.total += t1 - t0;
      p.max = Math.max(p.max, t1 - t0);
      if (--p.inFlight === 0) p.busy += t1 - p.since;
    }
  }

  /** Times every method of `target` whose name is listed, as `group`'s phases. */
  wrap<T extends object>(group: string, target: T, methods: readonly (keyof T & string)[]): T {
    const names = new Set<PropertyKey>(methods);
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const value = Reflect.get(t, prop, receiver);
        if (typeof value !== 'function') return value;
        if (!names.has(prop)) return value.bind(t);
        return (...args: unknown[]) => this.time(group, String(prop), () => value.apply(t, args));
      },
    });
  }

  /** Times every GetRecords call the client makes (all mappings share it, so one group). */
  timeGetRecords(kinesis: KinesisClient): void {
    kinesis.middlewareStack.add(
      (next, context) => (args) =>
        context.commandName === 'GetRecordsCommand'
          ? this.time('kinesis', 'GetRecords', () => next(args))
          : next(args),
      { step: 'initialize', name: 'benchPhaseClock' },
    );
  }

  summary(): Record<string, Record<string, PhaseTime>> {
    return Object.fromEntries(
      [...this.phases].map(([group, byPhase]) => [
        group,
        Object.fromEntries(
          [...byPhase].map(([phase, p]) => [
            phase,
            {
              calls: p.calls,
              busy_ms: Math.round(p.busy),
              total_ms: Math.round(p.total),
              max_ms: Math.round(p.max),
            },
          ]),
        ),
      ]),
    );
  }
}
