import { Hono } from 'hono';
import type { EventStream } from '../../shared/ports/event-stream';
import { EVENT_LIMITS } from '../../shared/schemas/event';
import { problem } from '../../shared/schemas/problem';
import { ClientError, onError, problemResponse } from '../common/errors';
import { type HealthCheck, healthRoute } from '../common/health';
import { logger } from '../common/observability';
import { type RequestIdVariables, requestId } from '../common/request-id';
import { validateBatch } from './validate-batch';

export interface IngestDeps {
  readonly stream: EventStream;
  readonly now?: () => number;
}

/**
 * The ingest Lambda's hono app: `POST /v1/events`. Accepts JSON or text/plain (what
 * navigator.sendBeacon sends), puts valid events on the stream, and says per event what happened.
 */
export function createIngestApp(deps: IngestDeps, checks: Record<string, HealthCheck>) {
  const app = new Hono<{ Variables: RequestIdVariables }>();
  app.use(requestId());
  app.onError(onError);
  app.get('/health', healthRoute('attune-ingest', checks));
  app.post('/v1/events', async (c) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > EVENT_LIMITS.maxBodyBytes) throw tooLarge();
    const type = (c.req.header('content-type') ?? 'application/json').split(';')[0]?.trim();
    if (type !== 'application/json' && type !== 'text/plain') {
      throw new ClientError(415, 'Unsupported media type', 'send application/json or text/plain');
    }
    const text = await c.req.text();
    if (new TextEncoder().encode(text).byteLength > EVENT_LIMITS.maxBodyBytes) throw tooLarge();
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      throw new ClientError(400, 'Malformed JSON', 'the body is not valid JSON');
    }
    const batch = validateBatch(payload, deps.now);
    if ('error' in batch) throw new ClientError(400, 'Invalid batch', batch.error);
    if (batch.valid.length === 0) {
      return problemResponse(
        c,
        problem(400, 'Invalid request', {
          detail: 'no event in the batch is valid',
          request_id: c.get('requestId'),
          errors: batch.rejected.flatMap((r) => r.errors.map((e) => ({ ...e, field: `[${r.index}].${e.field}` }))),
        }),
      );
    }
    const receivedAt = new Date(deps.now?.() ?? Date.now()).toISOString();
    const result = await deps.stream.putEvents(batch.valid.map((v) => ({ ...v.event, received_at: receivedAt })));
    const failed = new Set(result.failedIndexes);
    const unstored = batch.valid.filter((_, i) => failed.has(i));
    if (unstored.length) logger.error('events not stored after retries', { count: unstored.length });
    const rejected = [
      ...batch.rejected,
      ...unstored.map((v) => ({
        index: v.index,
        event_id: v.event.event_id,
        errors: [{ field: '(stream)', message: 'not stored; retry later' }],
      })),
    ].sort((a, b) => a.index - b.index);
    if (result.accepted === 0) {
      return problemResponse(
        c,
        problem(503, 'Event stream unavailable', { detail: 'no event was stored; retry later', request_id: c.get('requestId') }),
        { 'Retry-After': '1' },
      );
    }
    return c.json({ accepted: result.accepted, rejected }, 202);
  });
  return app;
}

const tooLarge = () => new ClientError(413, 'Payload too large', `at most ${EVENT_LIMITS.maxBodyBytes} bytes per request`);
