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

    const { origin } = edgeDeps(c);
    try {
      const answer = await origin.forwardEvents(batch.accepted);
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
