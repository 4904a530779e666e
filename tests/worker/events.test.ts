import { reset } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EVENT_LIMITS } from '../../shared/schemas/event';
import { clickEvent } from './helpers/factories';
import { installFakeOrigin, json } from './helpers/fake-origin';
import { type FakeQueue, fakeQueue } from './helpers/fake-queue';
import { callWorker } from './helpers/worker';

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

/** `queue: null` posts to a Worker without the queue binding. */
const post = (body: string, type = 'application/json', queue: FakeQueue | null = fakeQueue()) =>
  callWorker(
    '/v1/events',
    { method: 'POST', headers: { 'content-type': type }, body },
    { EVENTS_QUEUE: queue ?? undefined },
  );

describe('POST /v1/events', () => {
  it('accepts the valid events, reports the invalid ones and queues only the valid ones', async () => {
    const origin = installFakeOrigin();
    const queue = fakeQueue();
    const good1 = clickEvent();
    const bad = clickEvent({ item_id: undefined });
    const good2 = clickEvent({ type: 'view', item_id: 'item-00002' });

    const res = await post(JSON.stringify([good1, bad, good2]), 'application/json', queue);

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
      queued: true,
    });
    expect(queue.batches).toEqual([
      [
        { body: good1, contentType: 'json' },
        { body: good2, contentType: 'json' },
      ],
    ]);
    // The consumer forwards later; the request itself never waits on the origin.
    expect(origin.callsTo('POST', '/v1/events')).toHaveLength(0);
  });

  it('accepts a single event sent as text/plain (navigator.sendBeacon)', async () => {
    installFakeOrigin();
    const queue = fakeQueue();
    const event = clickEvent({ anonymous_id: 'anon-1', user_id: undefined });

    const res = await post(JSON.stringify(event), 'text/plain;charset=UTF-8', queue);

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [], queued: true });
    expect(queue.sent).toEqual([event]);
  });

  it('answers 202 queued while the origin is down: the queue holds the events until it is back', async () => {
    const origin = installFakeOrigin().down();
    const queue = fakeQueue();
    const event = clickEvent();

    const res = await post(JSON.stringify(event), 'application/json', queue);

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [], queued: true });
    expect(queue.sent).toEqual([event]);
    expect(origin.calls).toHaveLength(0);
  });

  it('answers 503 with Retry-After when neither the queue nor the origin can store the events, so the client sends again', async () => {
    installFakeOrigin().down();

    const res = await post(JSON.stringify(clickEvent()), 'application/json', fakeQueue().failAfter(0));

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('without a queue, maps events the origin could not store back to their position in the body', async () => {
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

    const res = await post(JSON.stringify([clickEvent(), bad, clickEvent()]), 'application/json', null);

    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: { index: number }[]; queued: boolean };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(body.queued).toBe(false);
  });

  it('answers 400 naming the fields when every event is invalid, and queues or forwards nothing', async () => {
    const origin = installFakeOrigin();
    const queue = fakeQueue();

    const res = await post(
      JSON.stringify([clickEvent({ session_id: '' }), clickEvent({ ts: 'yesterday' })]),
      'application/json',
      queue,
    );

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(['0.session_id', '1.ts']);
    expect(queue.batches).toHaveLength(0);
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
