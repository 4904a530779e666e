import type { AttuneEvent } from '../../../shared/schemas/event';
import type { IngestAnswer, OriginClient } from '../origin/origin-client';
import { type EventQueue, enqueueEvents } from './event-queue';

/** What became of the events handed to an {@link EventSink}. */
export interface SinkAnswer extends IngestAnswer {
  /** True when every stored event went through the queue (forwarded later, in batches). */
  readonly queued: boolean;
}

/**
 * Where the events route puts accepted events. `accepted` counts only events that are stored
 * somewhere durable; `rejected` indexes refer to the array passed in.
 */
export interface EventSink {
  /** @throws OriginError when events could neither be queued nor forwarded. */
  accept(events: readonly AttuneEvent[]): Promise<SinkAnswer>;
}

/** Dependencies of {@link queueFirstSink}. */
export interface QueueFirstSinkDeps {
  /** The `EVENTS_QUEUE` binding; undefined when the Worker runs without one. */
  readonly queue: EventQueue | undefined;
  readonly origin: Pick<OriginClient, 'forwardEvents'>;
  /** Called when some events take the synchronous path, with why and how many were queued. */
  readonly onFallback?: (reason: unknown, queued: number) => void;
}

/**
 * Queues the events and, for whatever the queue did not take (no binding, or `sendBatch`
 * failing), forwards them to the origin synchronously as before the queue existed, so an
 * accepted event is never lost: the caller answers 503 if that throws too.
 */
export function queueFirstSink({ queue, origin, onFallback }: QueueFirstSinkDeps): EventSink {
  return {
    async accept(events) {
      const { stored, error } = queue
        ? await enqueueEvents(queue, events)
        : { stored: 0, error: new Error('no EVENTS_QUEUE binding') };
      if (stored === events.length) return { accepted: stored, rejected: [], queued: true };

      onFallback?.(error, stored);
      const answer = await origin.forwardEvents(events.slice(stored));
      return {
        accepted: stored + answer.accepted,
        rejected: answer.rejected.map((r) => ({ ...r, index: r.index + stored })),
        queued: false,
      };
    },
  };
}
