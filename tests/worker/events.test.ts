import { reset } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EVENT_LIMITS } from '../../shared/schemas/event';
import { clickEvent } from './helpers/factories';
import { installFakeOrigin, json } from './helpers/fake-origin';
import { callWorker } from './helpers/worker';

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const post = (body: string, type = 'application/json') =>
  callWorker('/v1/events', { method: 'POST', headers: { 'content-type': type }, body });

describe('POST /v1/events', () => {
  it('accepts the valid events, reports the invalid ones and forwards only the valid ones', async () => {
    const origin = installFakeOrigin().on('POST', '/v1/events', json({ accepted: 2, rejected: [] }, 202));
    const good1 = clickEvent();
    const bad = clickEvent({ item_id: undefined });
    const good2 = clickEvent({ type: 'view', item_id: 'item-00002' });

    const res = await post(JSON.stringify([good1, bad, good2]));

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 2,
      rejected: [
        {
          index: 1,
          event_id: bad.event_id,
          errors: [{ field: 'item_id', message: 'item_id is required for click' }],
        },
      ],
    });
    const [forward] = origin.callsTo('POST', '/v1/events');
    expect(forward!.headers.get('content-type')).toBe('application/json');
    expect((JSON.parse(forward!.body) as { event_id: string }[]).map((e) => e.event_id)).toEqual([
      good1.event_id,
      good2.event_id,
    ]);
  });

  it('accepts a single event sent as text/plain (navigator.sendBeacon)', async () => {
    const origin = installFakeOrigin().on('POST', '/v1/events', json({ accepted: 1, rejected: [] }, 202));
    const event = clickEvent({ anonymous_id: 'anon-1', user_id: undefined });

    const res = await post(JSON.stringify(event), 'text/plain;charset=UTF-8');

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    expect(JSON.parse(origin.callsTo('POST', '/v1/events')[0]!.body)).toEqual([event]);
  });

  it('answers 503 with Retry-After when the origin cannot store the events, so the client sends again', async () => {
    installFakeOrigin().down();

    const res = await post(JSON.stringify(clickEvent()));

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('maps events the origin could not store back to their position in the body', async () => {
    installFakeOrigin().on(
      'POST',
      '/v1/events',
      json(
        {
          accepted: 1,
          rejected: [{ index: 1, event_id: 'x', errors: [{ field: '(stream)', message: 'not stored' }] }],
        },
        202,
      ),
    );
    const bad = clickEvent({ item_id: undefined });

    const res = await post(JSON.stringify([clickEvent(), bad, clickEvent()]));

    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: { index: number }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2]);
  });

  it('answers 400 naming the fields when every event is invalid, and forwards nothing', async () => {
    const origin = installFakeOrigin();

    const res = await post(JSON.stringify([clickEvent({ session_id: '' }), clickEvent({ ts: 'yesterday' })]));

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(['0.session_id', '1.ts']);
    expect(origin.calls).toHaveLength(0);
  });

  it('answers 400 problem+json for malformed JSON', async () => {
    installFakeOrigin();

    const res = await post('{"event_id": ');

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(/^malformed JSON/);
  });

  it('answers 413 problem+json for a body over the size cap', async () => {
    const origin = installFakeOrigin();

    const res = await post(`"${'x'.repeat(EVENT_LIMITS.maxBodyBytes)}"`);

    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(origin.calls).toHaveLength(0);
  });

  it('answers 413 for more events than a batch may hold', async () => {
    installFakeOrigin();
    const tooMany = Array.from({ length: EVENT_LIMITS.maxBatch + 1 }, () => ({}));

    const res = await post(JSON.stringify(tooMany));

    expect(res.status).toBe(413);
  });

  it('answers 415 for other content types', async () => {
    installFakeOrigin();

    const res = await post('a=b', 'application/x-www-form-urlencoded');

    expect(res.status).toBe(415);
  });
});
