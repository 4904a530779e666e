import { createMessageBatch } from 'cloudflare:test';
import type { AttuneEvent } from '../../../shared/schemas/event';

/** A stand-in for the `EVENTS_QUEUE` producer binding that records what the Worker sent. */
export interface FakeQueue extends Queue<AttuneEvent> {
  /** Each `sendBatch` call that succeeded, as the Worker passed it. */
  readonly batches: MessageSendRequest<AttuneEvent>[][];
  /** The bodies of every stored message, in order. */
  readonly sent: AttuneEvent[];
  /** Every `sendBatch` call after the first `okBatches` rejects, like an unavailable queue. */
  failAfter(okBatches: number): FakeQueue;
}

/** A queue that stores in memory and can be made to fail; see {@link FakeQueue}. */
export function fakeQueue(): FakeQueue {
  const batches: MessageSendRequest<AttuneEvent>[][] = [];
  let okBatches = Number.POSITIVE_INFINITY;
  const metrics = { backlogCount: 0, backlogBytes: 0 };
  const queue: FakeQueue = {
    batches,
    get sent() {
      return batches.flat().map((m) => m.body);
    },
    failAfter(n) {
      okBatches = n;
      return queue;
    },
    async sendBatch(messages) {
      if (batches.length >= okBatches) throw new Error('Queue send failed: internal error');
      batches.push([...messages]);
      return { metadata: { metrics } };
    },
    async send(body, options) {
      await queue.sendBatch([{ body, ...options }]);
      return { metadata: { metrics } };
    },
    async metrics() {
      return metrics;
    },
  };
  return queue;
}

/** A consumer batch of `events` on the events queue, each delivered `attempts` times so far. */
export function eventBatch(events: readonly AttuneEvent[], attempts = 1): MessageBatch<AttuneEvent> {
  return createMessageBatch<AttuneEvent>(
    'attune-events',
    events.map((body, i) => ({ id: `msg-${i}`, timestamp: Date.now(), attempts, body })),
  );
}
