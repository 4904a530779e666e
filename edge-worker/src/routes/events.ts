import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { EVENT_LIMITS } from '../../../shared/schemas/event';
import { parseEventBatch } from '../../../shared/schemas/event-batch';
import { problem } from '../../../shared/schemas/problem';
import type { AppEnv } from '../app-env';
import { edgeDeps } from '../deps';
import { problemResponse, ValidationError } from '../errors';
import { log } from '../log';
import { KvSessionStore } from '../session/store';
import { updateSessions } from '../session/update';

// navigator.sendBeacon sends a string body as text/plain, which also avoids a CORS preflight.
const ACCEPTED_TYPES = new Set(['application/json', 'text/plain']);

/**
 * `POST /v1/events`: validates each event and forwards the valid ones to the origin, answering
 * 202 only once the origin confirms they are on the stream. When it cannot, the answer is a 503
 * with Retry-After, so the client sends again: an accepted event is never lost.
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
    // Session adaptation does not wait for the stream: the next page reads this state. It runs
    // beside the forward and is awaited either way, so its KV write lands before the answer.
    const sessions = updateSessions(
      { sessions: new KvSessionStore(c.env.RECS_KV), cache, now: Date.now() },
      batch.accepted,
    ).catch((error: unknown) => {
      log('warn', 'session update failed', { request_id: c.get('requestId'), error });
    });
    try {
      const forwarded = origin.forwardEvents(batch.accepted);
      await Promise.allSettled([forwarded, sessions]);
      const answer = await forwarded;
      const rejected = [
        ...batch.rejected,
        ...answer.rejected.map((r) => ({ ...r, index: batch.acceptedIndexes[r.index] ?? r.index })),
      ].sort((a, b) => a.index - b.index);
      return c.json({ accepted: answer.accepted, rejected }, 202);
    } catch (error) {
      log('warn', 'event forward failed', { request_id: c.get('requestId'), error });
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
