import { Hono } from 'hono';
import type { EventStream } from '../../shared/ports/event-stream';
import { EVENT_LIMITS, makeEventSchema } from '../../shared/schemas/event';
import { parseEventBatch } from '../../shared/schemas/event-batch';
import { problem, validationProblem } from '../../shared/schemas/problem';
import { ClientError, onError, problemResponse } from '../common/errors';
import { type HealthCheck, healthRoute } from '../common/health';
import { logger } from '../common/observability';
import { type RequestIdVariables, requestId } from '../common/request-id';

export interface IngestDeps {
  readonly stream: EventStream;
  readonly now?: () => number;
}

/** One event's outcome as the client sees it. */
export interface EventRejection {
  readonly index: number;
  readonly event_id?: string;
  readonly errors: { field: string; message: string }[];
}

/**
 * The ingest Lambda's hono app: `POST /v1/events`. Accepts JSON or text/plain (what
 * navigator.sendBeacon sends), puts valid events on the stream, and says per event what
 * happened. `accepted` counts only events the stream confirmed: nothing reported accepted is lost.
 */
export function createIngestApp(deps: IngestDeps, checks: Record<string, HealthCheck>) {
  const app = new Hono<{ Variables: RequestIdVariables }>();
  app.use(requestId());
  app.onError(onError);
  app.get('/health', healthRoute('attune-ingest', checks));
  app.post('/v1/events', async (c) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > EVENT_LIMITS.maxBodyBytes) throw tooLarge();
    const type = (c.req.header('content-type') ?? 'application/json').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json' && type !== 'text/plain') {
      throw new ClientError(415, 'Unsupported media type', 'send application/json or text/plain');
    }
    const text = await c.req.text();
    if (new TextEncoder().encode(text).byteLength > EVENT_LIMITS.maxBodyBytes) throw tooLarge();
    const batch = parseEventBatch(text, makeEventSchema(deps.now));
    switch (batch.kind) {
      case 'malformed':
        throw new ClientError(400, 'Malformed JSON', batch.detail);
      case 'empty':
        throw new ClientError(400, 'Invalid batch', 'no events in the body');
      case 'too-many':
        throw new ClientError(
          413,
          'Payload too large',
          `${batch.count} events; at most ${EVENT_LIMITS.maxBatch} per request`,
        );
    }
    if (batch.accepted.length === 0)
      return problemResponse(validationProblem(batch.issues, c.get('requestId')));

    const receivedAt = new Date(deps.now?.() ?? Date.now()).toISOString();
    const result = await deps.stream.putEvents(
      batch.accepted.map((e) => ({ ...e, received_at: receivedAt })),
    );
    const unstored: EventRejection[] = result.failedIndexes.map((i) => ({
      index: batch.acceptedIndexes[i] as number,
      event_id: batch.accepted[i]?.event_id,
      errors: [{ field: '(stream)', message: 'not stored; send again' }],
    }));
    if (unstored.length) logger.error('events not stored after retries', { count: unstored.length });
    if (result.accepted === 0) {
      return problemResponse(
        problem(503, 'Event stream unavailable', {
          detail: 'no event was stored; send again',
          request_id: c.get('requestId'),
        }),
        { 'Retry-After': '1' },
      );
    }
    const rejected = [...batch.rejected, ...unstored].sort((a, b) => a.index - b.index);
    return c.json({ accepted: result.accepted, rejected }, 202);
  });
  return app;
}

const tooLarge = () =>
  new ClientError(413, 'Payload too large', `at most ${EVENT_LIMITS.maxBodyBytes} bytes per request`);
