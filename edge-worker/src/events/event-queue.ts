import { chunkBySize } from '../../../shared/chunk';
import type { AttuneEvent } from '../../../shared/schemas/event';

/** Limits of one `sendBatch` call. */
export interface QueueLimits {
  readonly maxMessagesPerBatch: number;
  readonly maxBatchBytes: number;
  readonly maxMessageBytes: number;
}

/**
 * Cloudflare Queues' producer limits. The byte budget stays a little under the 256 KB cap
 * because Queues counts per-message overhead we cannot see.
 */
export const QUEUE_LIMITS: QueueLimits = {
  maxMessagesPerBatch: 100,
  maxBatchBytes: 250 * 1024,
  maxMessageBytes: 128 * 1024,
};

/** The producer side of the events queue: only what the edge calls. */
export type EventQueue = Pick<Queue<AttuneEvent>, 'sendBatch'>;

/** How far {@link enqueueEvents} got: events `[0, stored)` are on the queue. */
export interface EnqueueResult {
  readonly stored: number;
  /** Why the rest were not stored; absent when all were. */
  readonly error?: unknown;
}

const encoder = new TextEncoder();

/**
 * Splits events into `sendBatch`-sized chunks, in order, by message count and JSON size.
 * @throws RangeError for an event over the per-message cap (the event schema keeps them far smaller).
 */
export function chunkForQueue(
  events: readonly AttuneEvent[],
  limits: QueueLimits = QUEUE_LIMITS,
): AttuneEvent[][] {
  return chunkBySize(
    events,
    (event) => {
      const size = encoder.encode(JSON.stringify(event)).byteLength;
      if (size > limits.maxMessageBytes)
        throw new RangeError(
          `event ${event.event_id} is ${size} bytes; a queue message holds at most ${limits.maxMessageBytes}`,
        );
      return size;
    },
    { maxCount: limits.maxMessagesPerBatch, maxBytes: limits.maxBatchBytes },
  );
}

/**
 * Puts each event on the queue as one JSON message, chunk after chunk, stopping at the first
 * failure. Queues has persisted a chunk once `sendBatch` resolves, so `stored` events are durable;
 * sending the chunks in order keeps the unsent ones a tail the caller can forward another way.
 * Never throws.
 */
export async function enqueueEvents(
  queue: EventQueue,
  events: readonly AttuneEvent[],
): Promise<EnqueueResult> {
  let stored = 0;
  try {
    for (const chunk of chunkForQueue(events)) {
      // JSON (not the default v8 serialisation) so DLQ messages are readable in the dashboard.
      await queue.sendBatch(chunk.map((body) => ({ body, contentType: 'json' as const })));
      stored += chunk.length;
    }
    return { stored };
  } catch (error) {
    return { stored, error };
  }
}
