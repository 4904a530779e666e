import { createExecutionContext, getQueueResult, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KV_KEYS } from '../../edge-worker/src/cache/records';
import { chunkForQueue, QUEUE_LIMITS } from '../../edge-worker/src/events/event-queue';
import { forwardBatch, retryDelaySeconds } from '../../edge-worker/src/events/forward-consumer';
import worker from '../../edge-worker/src/index';
import { OriginClient } from '../../edge-worker/src/origin/origin-client';
import type { AttuneEvent } from '../../shared/schemas/event';
import { clickEvent } from './helpers/factories';
import { hang, installFakeOrigin, json } from './helpers/fake-origin';
import { eventBatch, fakeQueue } from './helpers/fake-queue';
import { callWorker, EDGE } from './helpers/worker';

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const ORIGIN = 'http://127.0.0.1:8790';

const post = (events: readonly AttuneEvent[], queue: Queue<AttuneEvent> | undefined) =>
  callWorker(
    '/v1/events',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) },
    { EVENTS_QUEUE: queue },
  );

/** Runs the Worker's `queue` handler on `batch` and returns what it acked and retried. */
async function consume(batch: MessageBatch<AttuneEvent>) {
  await worker.queue(batch, env);
  return getQueueResult(batch, createExecutionContext());
}

const ids = (events: readonly AttuneEvent[]) => events.map((e) => e.event_id);
const forwarded = (body: string) => ids(JSON.parse(body) as AttuneEvent[]);

describe('POST /v1/events through the queue', () => {
  it('has the session state in KV by the time the 202 arrives', async () => {
    installFakeOrigin();
    const queue = fakeQueue();
    const session = `s-${crypto.randomUUID()}`;
    const ctx = createExecutionContext();

    const res = await worker.fetch(
      new Request(`${EDGE}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          clickEvent({ session_id: session, type: 'impression', item_id: 'item-00007' }),
        ]),
      }),
      { ...env, EVENTS_QUEUE: queue },
      ctx,
    );
    // Read before the execution context settles: only work the handler awaited is done.
    const state = await env.RECS_KV.get<{ seen: string[] }>(KV_KEYS.session(session), 'json');
    await waitOnExecutionContext(ctx);

    expect(res.status).toBe(202);
    expect(state?.seen).toEqual(['item-00007']);
    expect(queue.sent.map((e) => e.session_id)).toEqual([session]);
  });

  it('splits 250 events into sendBatch calls of at most 100 messages, in order', async () => {
    installFakeOrigin();
    const queue = fakeQueue();
    const events = Array.from({ length: 250 }, () => clickEvent());

    const res = await post(events, queue);

    expect(await res.json()).toEqual({ accepted: 250, rejected: [], queued: true });
    expect(queue.batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(ids(queue.sent)).toEqual(ids(events));
  });

  it('forwards to the origin synchronously when sendBatch fails, so the events are still stored', async () => {
    const origin = installFakeOrigin().on('POST', '/v1/events', json({ accepted: 2, rejected: [] }, 202));
    const events = [clickEvent(), clickEvent()];

    const res = await post(events, fakeQueue().failAfter(0));

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [], queued: false });
    const calls = origin.callsTo('POST', '/v1/events');
    expect(calls).toHaveLength(1);
    expect(forwarded(calls[0]!.body)).toEqual(ids(events));
  });

  it('forwards only the events the queue did not take when a later chunk fails', async () => {
    const origin = installFakeOrigin().on('POST', '/v1/events', (call) =>
      Response.json({ accepted: (JSON.parse(call.body) as unknown[]).length, rejected: [] }, { status: 202 }),
    );
    const queue = fakeQueue().failAfter(1);
    const events = Array.from({ length: 130 }, () => clickEvent());

    const res = await post(events, queue);

    expect(await res.json()).toEqual({ accepted: 130, rejected: [], queued: false });
    expect(ids(queue.sent)).toEqual(ids(events.slice(0, 100)));
    expect(forwarded(origin.callsTo('POST', '/v1/events')[0]!.body)).toEqual(ids(events.slice(100)));
  });

  it('forwards to the origin synchronously when the Worker has no queue binding', async () => {
    const origin = installFakeOrigin().on('POST', '/v1/events', json({ accepted: 1, rejected: [] }, 202));
    const event = clickEvent();

    const res = await post([event], undefined);

    expect(await res.json()).toEqual({ accepted: 1, rejected: [], queued: false });
    expect(forwarded(origin.callsTo('POST', '/v1/events')[0]!.body)).toEqual([event.event_id]);
  });

  it('delivers through the real (simulated) queue to the consumer, which forwards to the origin', async () => {
    const origin = installFakeOrigin().on('POST', '/v1/events', (call) =>
      Response.json({ accepted: (JSON.parse(call.body) as unknown[]).length, rejected: [] }, { status: 202 }),
    );
    const events = [clickEvent(), clickEvent({ type: 'view', item_id: 'item-00002' })];

    const res = await post(events, env.EVENTS_QUEUE as Queue<AttuneEvent>);

    expect(await res.json()).toEqual({ accepted: 2, rejected: [], queued: true });
    // The consumer runs after max_batch_timeout (1 s locally).
    await expect
      .poll(() => origin.callsTo('POST', '/v1/events').flatMap((c) => forwarded(c.body)), { timeout: 10_000 })
      .toEqual(ids(events));
  });
});

describe('the events queue consumer', () => {
  it('forwards the whole batch to the origin in one call and acks every message', async () => {
    const origin = installFakeOrigin().on('POST', '/v1/events', json({ accepted: 3, rejected: [] }, 202));
    const events = [clickEvent(), clickEvent(), clickEvent()];
    const batch = eventBatch(events);

    const result = await consume(batch);

    const calls = origin.callsTo('POST', '/v1/events');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url.href).toBe(`${ORIGIN}/v1/events`);
    expect(calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(calls[0]!.headers.get('x-request-id')).toMatch(/^queue-/);
    expect(JSON.parse(calls[0]!.body)).toEqual(events);
    expect(result.explicitAcks.sort()).toEqual(['msg-0', 'msg-1', 'msg-2']);
    expect(result.retryMessages).toEqual([]);
    expect(result.retryBatch.retry).toBe(false);
  });

  // getQueueResult() reports that a retry was asked for but not its delay: spies read the delay.
  it('retries the whole batch when the origin answers 5xx, backing off with the attempts', async () => {
    installFakeOrigin().on('POST', '/v1/events', json({ title: 'Service unavailable' }, 503));
    const batches = [1, 3, 9].map((attempts) => eventBatch([clickEvent(), clickEvent()], attempts));
    const retryAlls = batches.map((b) => vi.spyOn(b, 'retryAll'));

    const results = [];
    for (const batch of batches) results.push(await consume(batch));

    expect(results.map((r) => r.retryBatch.retry)).toEqual([true, true, true]);
    expect(retryAlls.map((spy) => spy.mock.calls)).toEqual([
      [[{ delaySeconds: 2 }]],
      [[{ delaySeconds: 8 }]],
      [[{ delaySeconds: 60 }]],
    ]);
    expect(results[0]!.explicitAcks).toEqual([]);
    expect(results[0]!.ackAll).toBe(false);
  });

  it('acks a batch the origin refuses outright (400: every event invalid), but retries 429', async () => {
    installFakeOrigin().on('POST', '/v1/events', json({ title: 'Bad Request' }, 400));
    const refused = eventBatch([clickEvent(), clickEvent()], 1);
    const result = await consume(refused);
    expect(result.ackAll).toBe(true);
    expect(result.retryBatch.retry).toBe(false);

    vi.restoreAllMocks();
    installFakeOrigin().on('POST', '/v1/events', json({ title: 'Too Many Requests' }, 429));
    const throttled = eventBatch([clickEvent()], 1);
    const again = await consume(throttled);
    expect(again.retryBatch.retry).toBe(true);
    expect(again.ackAll).toBe(false);
  });

  it('retries the whole batch when the origin is unreachable', async () => {
    installFakeOrigin().down();
    const batch = eventBatch([clickEvent()], 2);
    const retryAll = vi.spyOn(batch, 'retryAll');

    const result = await consume(batch);

    expect(result.retryBatch.retry).toBe(true);
    expect(retryAll).toHaveBeenCalledWith({ delaySeconds: 4 });
    expect(result.explicitAcks).toEqual([]);
  });

  it('retries the whole batch when the origin does not answer in time', async () => {
    installFakeOrigin().on('POST', '/v1/events', hang);
    const batch = eventBatch([clickEvent()], 4);
    const retryAll = vi.spyOn(batch, 'retryAll');
    const origin = new OriginClient({ baseUrl: ORIGIN, timeoutMs: 50, forwardTimeoutMs: 50, requestId: 'r' });

    const outcome = await forwardBatch(batch, origin);
    const result = await getQueueResult(batch, createExecutionContext());

    expect(outcome).toEqual({ forwarded: 0, dropped: 0, retried: 1 });
    expect(result.retryBatch.retry).toBe(true);
    expect(retryAll).toHaveBeenCalledWith({ delaySeconds: 16 });
  });

  it('acks events the origin rejects as invalid, and retries only those it could not store', async () => {
    const events = [clickEvent(), clickEvent(), clickEvent()];
    installFakeOrigin().on(
      'POST',
      '/v1/events',
      json(
        {
          accepted: 1,
          rejected: [
            { index: 1, event_id: events[1]!.event_id, errors: [{ field: 'ts', message: 'too old' }] },
            {
              index: 2,
              event_id: events[2]!.event_id,
              errors: [{ field: '(stream)', message: 'not stored' }],
            },
          ],
        },
        202,
      ),
    );
    const warn = vi.spyOn(console, 'warn');
    const batch = eventBatch(events, 2);
    const retry = vi.spyOn(batch.messages[2]!, 'retry');

    const result = await consume(batch);

    expect(result.explicitAcks.sort()).toEqual(['msg-0', 'msg-1']);
    expect(result.retryMessages).toEqual([{ msgId: 'msg-2' }]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: 4 });
    expect(result.retryBatch.retry).toBe(false);
    const logged = warn.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        message: 'origin rejected a queued event; dropping it',
        event_id: events[1]!.event_id,
        errors: [{ field: 'ts', message: 'too old' }],
      }),
    );
  });
});

describe('queue limits', () => {
  it('backs off 2, 4, 8, ... seconds, never more than a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(retryDelaySeconds)).toEqual([2, 4, 8, 16, 32, 60, 60]);
  });

  it('chunks by message count and by bytes, keeping order', () => {
    const events = Array.from({ length: 7 }, () => clickEvent());
    const size = new TextEncoder().encode(JSON.stringify(events[0])).byteLength;

    const byCount = chunkForQueue(events, { ...QUEUE_LIMITS, maxMessagesPerBatch: 3 });
    const byBytes = chunkForQueue(events, { ...QUEUE_LIMITS, maxBatchBytes: size * 2 + 1 });

    expect(byCount.map((c) => c.length)).toEqual([3, 3, 1]);
    expect(byBytes.map((c) => c.length)).toEqual([2, 2, 2, 1]);
    expect(byBytes.flat()).toEqual(events);
  });

  it('refuses an event larger than a queue message may be', () => {
    const big = clickEvent({ text: 'x'.repeat(200) });

    expect(() => chunkForQueue([big], { ...QUEUE_LIMITS, maxMessageBytes: 100 })).toThrow(RangeError);
  });
});
