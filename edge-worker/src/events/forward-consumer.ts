import type { AttuneEvent } from '../../../shared/schemas/event';
import { loadEdgeConfig } from '../config';
import { log } from '../log';
import { type IngestAnswer, OriginClient, OriginError } from '../origin/origin-client';

/**
 * Budget for one batch forward from the consumer. Nobody is waiting on it, so it is far longer
 * than the request path's: a slow origin should deliver, not bounce the batch into a retry.
 */
export const CONSUMER_FORWARD_TIMEOUT_MS = 10_000;

/** The longest wait before a retry; 10 retries at this backoff cover about 6 minutes. */
export const MAX_RETRY_DELAY_SECONDS = 60;

/** The origin ingest rejects an event with this field when Kinesis did not take it: retry it. */
const NOT_STORED_FIELD = '(stream)';

/**
 * Seconds to wait before delivery number `attempts + 1`: 2, 4, 8, ... capped at
 * {@link MAX_RETRY_DELAY_SECONDS}. `attempts` counts deliveries so far (1 on the first).
 */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** Math.max(1, attempts), MAX_RETRY_DELAY_SECONDS);
}

/** Backoff for a whole batch: retried messages join new ones, so the most-attempted one counts. */
function batchDelaySeconds(batch: MessageBatch<AttuneEvent>): number {
  return retryDelaySeconds(Math.max(...batch.messages.map((m) => m.attempts)));
}

/** What {@link forwardBatch} did with a batch, for logs and tests. */
export interface ForwardOutcome {
  readonly forwarded: number;
  /** Events the origin refused as invalid: acked, since sending them again cannot succeed. */
  readonly dropped: number;
  /** Events retried later, one by one or with the whole batch. */
  readonly retried: number;
}

/**
 * Forwards a batch of queued events to the origin ingest in one call and settles every message:
 * stored and invalid events are acked; events the origin could not put on the stream are
 * retried; when the origin fails (network, timeout, 5xx) the whole batch is retried with
 * exponential backoff. After `max_retries` Queues moves the messages to the dead-letter queue.
 */
export async function forwardBatch(
  batch: MessageBatch<AttuneEvent>,
  origin: Pick<OriginClient, 'forwardEvents'>,
): Promise<ForwardOutcome> {
  const { messages } = batch;
  let answer: IngestAnswer;
  try {
    answer = await origin.forwardEvents(messages.map((m) => m.body));
  } catch (error) {
    if (error instanceof OriginError && error.refused) {
      // The origin judged the whole batch invalid (every event failed its checks, e.g. too old
      // after days in the queue); retrying would only walk it to the dead-letter queue.
      log('warn', 'origin refused a queued batch; dropping it', {
        queue: batch.queue,
        messages: messages.length,
        status: error.status,
        event_ids: messages.map((m) => m.body.event_id),
      });
      batch.ackAll();
      return { forwarded: 0, dropped: messages.length, retried: 0 };
    }
    const delaySeconds = batchDelaySeconds(batch);
    log('warn', 'event batch forward failed; retrying', {
      queue: batch.queue,
      messages: messages.length,
      delay_seconds: delaySeconds,
      error,
    });
    batch.retryAll({ delaySeconds });
    return { forwarded: 0, dropped: 0, retried: messages.length };
  }

  let dropped = 0;
  let retried = 0;
  const settled = new Set<number>();
  for (const rejection of answer.rejected) {
    const message = messages[rejection.index];
    if (!message || settled.has(rejection.index)) continue;
    settled.add(rejection.index);
    if (rejection.errors.some((e) => e.field === NOT_STORED_FIELD)) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      retried++;
    } else {
      log('warn', 'origin rejected a queued event; dropping it', {
        queue: batch.queue,
        message_id: message.id,
        event_id: rejection.event_id,
        errors: rejection.errors,
      });
      message.ack();
      dropped++;
    }
  }
  messages.forEach((message, index) => {
    if (!settled.has(index)) message.ack();
  });
  return { forwarded: messages.length - dropped - retried, dropped, retried };
}

/**
 * The Worker's `queue` handler for the events queue: builds the origin client from the
 * Worker's configuration and forwards the batch. A configuration error retries the batch
 * (with backoff) rather than dropping it, so fixing the variable delivers the backlog.
 */
export async function consumeEventBatch(batch: MessageBatch<AttuneEvent>, env: Env): Promise<void> {
  let origin: OriginClient;
  try {
    const config = loadEdgeConfig(env as unknown as Record<string, unknown>);
    origin = new OriginClient({
      baseUrl: config.ORIGIN_URL,
      timeoutMs: config.ORIGIN_TIMEOUT_MS,
      forwardTimeoutMs: CONSUMER_FORWARD_TIMEOUT_MS,
      requestId: `queue-${crypto.randomUUID()}`,
    });
  } catch (error) {
    const delaySeconds = batchDelaySeconds(batch);
    log('error', 'event consumer misconfigured; retrying the batch', {
      queue: batch.queue,
      delay_seconds: delaySeconds,
      error,
    });
    batch.retryAll({ delaySeconds });
    return;
  }
  const outcome = await forwardBatch(batch, origin);
  log('info', 'event batch consumed', { queue: batch.queue, messages: batch.messages.length, ...outcome });
}
