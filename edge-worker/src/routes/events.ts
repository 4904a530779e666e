import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { EVENT_LIMITS } from '../../../shared/schemas/event';
import { parseEventBatch } from '../../../shared/schemas/event-batch';
import { problem } from '../../../shared/schemas/problem';
import type { AppEnv } from '../app-env';
import { edgeDeps } from '../deps';
import { problemResponse, ValidationError } from '../errors';
import type { EventQueue } from '../events/event-queue';
import { queueFirstSink } from '../events/event-sink';
import { log } from '../log';
import { KvSessionStore } from '../session/store';
import { updateSessions } from '../session/update';

// navigator.sendBeacon sends a string body as text/plain, which also avoids a CORS preflight.
const ACCEPTED_TYPES = new Set(['application/json', 'text/plain']);

/**
 * `POST /v1/events`: validates each event, updates the session state in KV, and puts the valid
 * events on the events queue, answering 202 once Queues has stored them; the queue consumer
 * forwards them to the origin in batches. Without the queue it forwards to the origin and waits,
 * and when that fails too the answer is a 503 with Retry-After, so the client sends again: an
 * accepted event is never lost.
 */
export const eventRoutes = new Hono<AppEnv>().post(
  '/v1/events',
  bodyLimit({
    maxSize: EVENT_LIMITS.maxBodyBytes,
    onError: () => {
      throw new HTTPException(413, { message: `body exceeds ${EVENT_LIMITS.maxBodyBytes} bytes` });
    },
  }),
  async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ACCEPTED_TYPES.has(type)) {
      throw new HTTPException(415, { message: 'send application/json or text/plain' });
    }
    const batch = parseEventBatch(await c.req.text());
    switch (batch.kind) {
      case 'malformed':
        throw new HTTPException(400, { message: `malformed JSON: ${batch.detail}` });
      case 'empty':
        throw new HTTPException(400, { message: 'no events in the body' });
      case 'too-many':
        throw new HTTPException(413, {
          message: `${batch.count} events; at most ${EVENT_LIMITS.maxBatch} per request`,
        });
    }
    if (batch.accepted.length === 0) throw new ValidationError(batch.issues);

    const { origin, cache } = edgeDeps(c);
    const requestId = c.get('requestId');
    // Session adaptation does not wait for the stream: the next page reads this state. It runs
    // beside the enqueue and is awaited either way, so its KV write lands before the answer.
    const sessions = updateSessions(
      { sessions: new KvSessionStore(c.env.RECS_KV), cache, now: Date.now() },
      batch.accepted,
    ).catch((error: unknown) => {
      log('warn', 'session update failed', { request_id: requestId, error });
    });
    const sink = queueFirstSink({
      // Optional at runtime: a config without the queue still works, synchronously.
      queue: c.env.EVENTS_QUEUE as EventQueue | undefined,
      origin,
      onFallback: (error, queued) =>
        log('warn', 'events queue unavailable; forwarding to the origin', {
          request_id: requestId,
          queued,
          error,
        }),
    });
    try {
      const stored = sink.accept(batch.accepted);
      await Promise.allSettled([stored, sessions]);
      const answer = await stored;
      const rejected = [
        ...batch.rejected,
        ...answer.rejected.map((r) => ({ ...r, index: batch.acceptedIndexes[r.index] ?? r.index })),
      ].sort((a, b) => a.index - b.index);
      return c.json({ accepted: answer.accepted, rejected, queued: answer.queued }, 202);
    } catch (error) {
      log('warn', 'event forward failed', { request_id: requestId, error });
      const res = problemResponse(
        problem(503, 'Events not stored', {
          detail: 'the event pipeline is unavailable; send again',
          request_id: c.get('requestId'),
        }),
        c.get('requestId'),
      );
      res.headers.set('retry-after', '1');
      return res;
    }
  },
);
