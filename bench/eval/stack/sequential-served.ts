import type { Interaction } from '../../../local/training/interactions';
import { mean } from '../metrics';
import type { SequentialResult } from '../sequential';
import { ratingEvent } from './events';
import { excludeFor, ORIGIN_RECENT_EXCLUDED } from './exclusions';
import { mapPool, progress } from './progress';
import { type OriginApp, ServedStats, servedTop } from './served-client';
import type { StreamPath } from './stream-path';

/** One user of the sequential replay: two identities with the same state after training. */
export interface SequentialUser {
  /** Receives the replayed events (streaming mode). */
  readonly user: string;
  /** A copy of the user's trained state that never receives an event (frozen mode). */
  readonly twin: string;
  readonly trained: ReadonlySet<string>;
  /** Training items, the most likely to be retrieved first (see leakOrder). */
  readonly leakOrder: readonly string[];
  /** `recent_items` of the state after training, most recent first. */
  readonly recent: readonly string[];
  /** Test interactions in time order. */
  readonly test: readonly Interaction[];
}

/** Timings and serving tallies of a replay. */
export interface SequentialServedReport {
  readonly result: SequentialResult;
  readonly frozen: ServedStats;
  readonly streaming: ServedStats;
  readonly eventsSent: number;
  readonly ingestRequests: number;
  /** Seconds spent waiting for the stream to apply the events, over all steps. */
  readonly applySeconds: number;
  readonly steps: number;
  /** Items sent per streaming user, in order. */
  readonly sent: ReadonlyMap<string, readonly string[]>;
}

const hitOf = (list: readonly string[], target: string) => {
  const rank = list.indexOf(target);
  return { hit: rank >= 0 ? 1 : 0, ndcg: rank >= 0 ? 1 / Math.log2(rank + 2) : 0 };
};

/**
 * The sequential protocol through the real path. Step k, for every user with a k-th test
 * interaction at once: ask the origin for both identities' top 10 (training items excluded),
 * score whether the k-th item is in it, then send every streaming identity's k-th rating through
 * ingest and wait until each user's state shows it before step k + 1. The frozen twin receives
 * nothing, so its answers come from the state at the end of training.
 */
export async function evaluateServedSequential(
  app: OriginApp,
  path: StreamPath,
  users: readonly SequentialUser[],
  opts: { surface: string; concurrency: number; maxSteps: number },
): Promise<SequentialServedReport> {
  const steps = Math.min(opts.maxSteps, Math.max(0, ...users.map((u) => u.test.length)));
  const total = users.reduce((n, u) => n + 2 * Math.min(u.test.length, steps), 0);
  const bar = progress('sequential (origin requests)', total, 'req', 5000);
  const frozen = { hit: [] as number[], ndcg: [] as number[], stats: new ServedStats() };
  const streaming = { hit: [] as number[], ndcg: [] as number[], stats: new ServedStats() };
  const streamed = new Map<string, string[]>(users.map((u) => [u.user, []]));
  let eventsSent = 0;
  let ingestRequests = 0;
  let applyMs = 0;
  for (let k = 0; k < steps; k++) {
    const active = users.filter((u) => k < u.test.length);
    const asks = active.flatMap((u) => [
      { u, mode: frozen, id: u.twin, recent: u.recent },
      {
        u,
        mode: streaming,
        id: u.user,
        recent: [...new Set([...(streamed.get(u.user) ?? []), ...u.recent])].slice(0, ORIGIN_RECENT_EXCLUDED),
      },
    ]);
    await mapPool(asks, opts.concurrency, async (a) => {
      const answer = await servedTop(app, {
        user: a.id,
        surface: opts.surface,
        trained: a.u.trained,
        exclude: excludeFor(a.u.leakOrder, a.recent),
      });
      const { hit, ndcg } = hitOf(answer.items, (a.u.test[k] as Interaction).item);
      a.mode.hit.push(hit);
      a.mode.ndcg.push(ndcg);
      a.mode.stats.add(answer);
      bar.add(1);
    });
    const events = active.map((u) => ratingEvent(u.test[k] as Interaction));
    const sent = await path.send(events);
    eventsSent += sent.accepted;
    ingestRequests += sent.requests;
    const t0 = performance.now();
    await path.waitApplied(new Map(events.map((e) => [e.user_id as string, e.event_id])));
    applyMs += performance.now() - t0;
    for (const u of active) streamed.get(u.user)?.unshift((u.test[k] as Interaction).item);
  }
  bar.finish();
  const summarize = (s: { hit: number[]; ndcg: number[] }) => ({ hr10: mean(s.hit), ndcg10: mean(s.ndcg) });
  return {
    result: {
      frozen: summarize(frozen),
      streaming: summarize(streaming),
      steps: frozen.hit.length,
      users: users.length,
    },
    frozen: frozen.stats,
    streaming: streaming.stats,
    eventsSent,
    ingestRequests,
    applySeconds: Math.round(applyMs / 100) / 10,
    steps,
    sent: new Map([...streamed].map(([u, items]) => [u, [...items].reverse()])),
  };
}
