import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RelatedResponse } from '../../shared/schemas/related';
import { items } from './helpers/factories';
import { type FakeOrigin, installFakeOrigin } from './helpers/fake-origin';
import { callWorker } from './helpers/worker';

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await reset();
});

type EdgeRelated = RelatedResponse & { served_by: string; fallback_level: number };

/** An item id no earlier test cached: the Cache API outlives `reset()`. */
const freshItem = () => `item-${crypto.randomUUID()}`;

/** The origin's related answer for `itemId`, public unless personalized, as the origin sends it. */
function relatedAnswer(itemId: string, ids: string[], personalized = false, maxAge = 300) {
  const body: RelatedResponse = {
    item_id: itemId,
    items: items(ids),
    request_id: 'origin-req',
    model_version: 'related-v1',
    personalized,
    sources: { content: ids.length, co_interaction: 0, popular: 0 },
    timings_ms: { total: 4 },
  };
  return () =>
    Response.json(body, {
      headers: { 'cache-control': personalized ? 'private, no-store' : `public, max-age=${maxAge}` },
    });
}

const path = (itemId: string) => `/v1/items/${itemId}/related`;

function originCalls(origin: FakeOrigin, itemId: string) {
  return origin.callsTo('GET', path(itemId));
}

describe('GET /v1/items/:id/related: shared answers are cached at the edge', () => {
  it('answers the second anonymous call from the Cache API without calling the origin', async () => {
    const id = freshItem();
    const origin = installFakeOrigin().on('GET', path(id), relatedAnswer(id, ['r1', 'r2', 'r3']));

    const first = await callWorker(`${path(id)}?limit=3`);
    const second = await callWorker(`${path(id)}?limit=3`, { headers: { 'x-request-id': 'req-second' } });

    expect(first.status).toBe(200);
    expect(first.headers.get('x-attune-cache')).toBe('miss');
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-attune-cache')).toBe('hit');
    expect(second.headers.get('cache-control')).toMatch(/^public, max-age=(29\d|300)$/);
    const body = (await second.json()) as EdgeRelated;
    expect(body.items.map((i) => i.item_id)).toEqual(['r1', 'r2', 'r3']);
    expect(body).toMatchObject({
      item_id: id,
      request_id: 'req-second',
      served_by: 'edge-cache',
      fallback_level: 0,
    });
    expect(originCalls(origin, id)).toHaveLength(1);
    expect(Object.fromEntries(originCalls(origin, id)[0]!.url.searchParams)).toEqual({ limit: '3' });
  });

  it('keys the cache by the normalized URL: defaults filled in, key order and anonymous ids ignored', async () => {
    const id = freshItem();
    const origin = installFakeOrigin().on('GET', path(id), relatedAnswer(id, ['r1']));

    await callWorker(`${path(id)}?surface=item&limit=10`);
    const reordered = await callWorker(`${path(id)}?limit=10&surface=item&anonymous_id=a-1&session_id=s-1`);
    const defaulted = await callWorker(`${path(id)}?surface=item`);
    const otherLimit = await callWorker(`${path(id)}?surface=item&limit=5`);

    expect(reordered.headers.get('x-attune-cache')).toBe('hit');
    expect(defaulted.headers.get('x-attune-cache')).toBe('hit');
    expect(otherLimit.headers.get('x-attune-cache')).toBe('miss');
    expect(originCalls(origin, id).map((c) => c.url.search)).toEqual([
      '?limit=10&surface=item',
      '?limit=5&surface=item',
    ]);
  });

  it('sends personalized calls (user_id) to the origin every time and never caches them', async () => {
    const id = freshItem();
    const origin = installFakeOrigin().on('GET', path(id), relatedAnswer(id, ['p1', 'p2'], true));

    const first = await callWorker(`${path(id)}?user_id=u-rel`);
    const second = await callWorker(`${path(id)}?user_id=u-rel`);
    const anonymous = await callWorker(path(id));

    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-attune-cache')).toBe('bypass');
      expect(res.headers.get('cache-control')).toBe('private, no-store');
    }
    expect(((await second.json()) as EdgeRelated).personalized).toBe(true);
    // The origin marked its answer private: not even the anonymous call may reuse it.
    expect(anonymous.headers.get('x-attune-cache')).toBe('miss');
    expect(originCalls(origin, id)).toHaveLength(3);
    expect(originCalls(origin, id)[0]!.url.searchParams.get('user_id')).toBe('u-rel');
  });
});

describe('GET /v1/items/:id/related: when the origin fails', () => {
  it('serves the popular list from the fallback ladder, labelled, without the item itself', async () => {
    installFakeOrigin().down();

    const res = await callWorker(`${path('item-00002')}?limit=4`);

    expect(res.status).toBe(200);
    expect(res.headers.get('x-attune-cache')).toBe('fallback');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = (await res.json()) as EdgeRelated;
    expect(body).toMatchObject({
      item_id: 'item-00002',
      served_by: 'edge-fallback',
      fallback_level: 5,
      model_version: 'edge-compiled',
      personalized: false,
      degraded: ['origin'],
    });
    expect(body.items.map((i) => i.item_id)).toEqual([
      'item-00001',
      'item-00003',
      'item-00004',
      'item-00005',
    ]);
  });

  it('prefers the popular list in KV (level 4) over the compiled one', async () => {
    await env.RECS_KV.put(
      'list:v1:popular',
      JSON.stringify({ v: 1, stored_at: Date.now(), items: items(['pop-1', 'pop-2', 'pop-3']) }),
    );
    installFakeOrigin().on('GET', path('pop-2'), () => new Response('boom', { status: 502 }));

    const res = await callWorker(path('pop-2'));

    const body = (await res.json()) as EdgeRelated;
    expect(body.fallback_level).toBe(4);
    expect(body.items.map((i) => i.item_id)).toEqual(['pop-1', 'pop-3']);
    expect(body.items[0]!.reasons).toEqual([{ code: 'popular', text: 'Popular right now' }]);
  });

  it('serves the stale cached copy, to anonymous and personalized callers alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const id = freshItem();
    let up = true;
    const fresh = relatedAnswer(id, ['s1', 's2'], false, 60);
    installFakeOrigin().on('GET', path(id), () => {
      if (!up) throw new TypeError('Network connection lost.');
      return fresh();
    });
    await callWorker(path(id));

    vi.setSystemTime(Date.now() + 61_000);
    up = false;
    const stale = await callWorker(path(id));
    const personalized = await callWorker(`${path(id)}?user_id=u-stale`);

    for (const res of [stale, personalized]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-attune-cache')).toBe('stale');
      const body = (await res.json()) as EdgeRelated;
      expect(body.items.map((i) => i.item_id)).toEqual(['s1', 's2']);
      expect(body).toMatchObject({ served_by: 'edge-cache', fallback_level: 2 });
    }
  });

  it('asks the origin again once the cached copy is past its max-age, and re-caches', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const id = freshItem();
    const origin = installFakeOrigin().on('GET', path(id), relatedAnswer(id, ['n1'], false, 60));
    await callWorker(path(id));

    vi.setSystemTime(Date.now() + 61_000);
    const refreshed = await callWorker(path(id));
    const hit = await callWorker(path(id));

    expect(refreshed.headers.get('x-attune-cache')).toBe('miss');
    expect(hit.headers.get('x-attune-cache')).toBe('hit');
    expect(originCalls(origin, id)).toHaveLength(2);
  });
});

describe('GET /v1/items/:id/related: input and client errors', () => {
  it.each([
    ['limit=0', 'limit'],
    ['limit=51', 'limit'],
    ['surface=nowhere', 'surface'],
    ['colour=red', '(body)'],
  ])('rejects %s with a 400 problem naming %s, before the origin', async (query, field) => {
    const origin = installFakeOrigin();

    const res = await callWorker(`${path('i-1')}?${query}`);

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(origin.calls).toHaveLength(0);
  });

  it("passes the origin's 404 for an unknown item through instead of falling back", async () => {
    const id = freshItem();
    const notFound = { type: 'https://attune.dev/problems/not-found', title: 'Not found', status: 404 };
    installFakeOrigin().on('GET', path(id), () =>
      Response.json(notFound, { status: 404, headers: { 'content-type': 'application/problem+json' } }),
    );

    const res = await callWorker(path(id));

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual(notFound);
  });
});
