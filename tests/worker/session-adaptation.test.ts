import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECS_RECORD_FINGERPRINT } from '../../edge-worker/src/cache/records';
import { STAMP } from '../../edge-worker/src/cache/stamped-record';
import { SESSION_STATE_FINGERPRINT, toSignals } from '../../edge-worker/src/session/state';
import { quantizeVector } from '../../shared/embedding/quantize';
import type { AttuneEvent } from '../../shared/schemas/event';
import type { CachedCandidate, RecommendationResponse } from '../../shared/schemas/recommendation';
import { clickEvent, originResponse } from './helpers/factories';
import { installFakeOrigin, json } from './helpers/fake-origin';
import { callWorker } from './helpers/worker';

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const SHOES = [1, 0];
const BOOKS = [0, 1];

/** Shoes and books interleaved by score, each category on its own axis. */
const CANDIDATES: CachedCandidate[] = [
  ['a1', 'shoes', 0.9],
  ['b1', 'books', 0.85],
  ['a2', 'shoes', 0.8],
  ['b2', 'books', 0.75],
  ['a3', 'shoes', 0.7],
  ['b3', 'books', 0.65],
].map(([item_id, category, score]) => ({
  item_id: item_id as string,
  category: category as string,
  score: score as number,
  source: 'popular',
  popularity: 0.5,
  freshness: 0.1,
  // Quantized, as the origin sends them: the edge decodes them for session similarity.
  vq: quantizeVector(category === 'shoes' ? SHOES : BOOKS),
  title: `Title ${item_id}`,
}));

async function seedV2(subject = 'u1', surface = 'home') {
  const record = {
    v: 2,
    stored_at: Date.now() - 1_000,
    response: originResponse(['a1', 'b1'], { decision_id: 'cached-dec' }),
    candidates: CANDIDATES,
  };
  await env.RECS_KV.put(`recs:v1:${subject}:${surface}`, JSON.stringify(record));
}

const page = async (query: string, init: RequestInit = {}) => {
  const res = await callWorker(`/v1/recommendations?${query}`, init);
  expect(res.status).toBe(200);
  return (await res.json()) as RecommendationResponse;
};
const ids = (body: RecommendationResponse) => body.items.map((i) => i.item_id);

const postEvents = (events: AttuneEvent[]) =>
  callWorker('/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });

const event = (session_id: string, type: AttuneEvent['type'], item_id: string) =>
  clickEvent({ user_id: 'u1', session_id, type, item_id });

function originAccepting() {
  return installFakeOrigin().on('POST', '/v1/events', (call) =>
    Response.json({ accepted: (JSON.parse(call.body) as unknown[]).length, rejected: [] }, { status: 202 }),
  );
}

describe('session adaptation at the edge', () => {
  it('a click on a book moves books up on the next page of that session only', async () => {
    const origin = originAccepting();
    await seedV2();
    const before = await page('user_id=u1&limit=5&session_id=S');
    expect(ids(before)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);

    const res = await postEvents([event('S', 'click', 'b1')]);
    expect(res.status).toBe(202);

    const after = await page('user_id=u1&limit=5&session_id=S');
    // books gain 0.35 (cosine 1) + 0.2 (all of the session's clicks): b2 1.3, b3 1.2, then shoes.
    expect(after.items.map((i) => [i.item_id, i.position, i.score])).toEqual([
      ['b2', 0, 1.3],
      ['b3', 1, 1.2],
      ['a1', 2, 0.9],
      ['a2', 3, 0.8],
      ['a3', 4, 0.7],
    ]);
    expect(after.items[0]).toMatchObject({
      title: 'Title b2',
      category: 'books',
      reasons: [{ code: 'similar', text: 'Similar to what you are browsing' }],
    });
    expect(after.served_by).toBe('edge-cache');
    expect(after).not.toHaveProperty('candidates');
    expect(ids(await page('user_id=u1&limit=5&session_id=T'))).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    expect(ids(await page('user_id=u1&limit=5'))).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    expect(origin.callsTo('GET', '/v1/recommendations')).toHaveLength(0);
  });

  it('never shows seen or hidden items again in that session, also via the attune_sid cookie', async () => {
    originAccepting();
    await seedV2();

    await postEvents([
      event('S', 'impression', 'a1'),
      event('S', 'impression', 'a2'),
      event('S', 'hide', 'b2'),
    ]);

    expect(ids(await page('user_id=u1&limit=5&session_id=S'))).toEqual(['b1', 'a3', 'b3']);
    const viaCookie = await page('user_id=u1&limit=5', { headers: { cookie: 'attune_sid=S' } });
    expect(ids(viaCookie)).toEqual(['b1', 'a3', 'b3']);
    await postEvents([event('S', 'impression', 'b1')]);
    expect(ids(await page('user_id=u1&limit=5&session_id=S&exclude=b3'))).toEqual(['a3']);
    expect(ids(await page('user_id=u1&limit=5&session_id=other'))).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
  });

  it('stores the state the signals are built from, one KV write per session per request', async () => {
    originAccepting();
    await seedV2();
    const put = vi.spyOn(env.RECS_KV, 'put');
    const start = Math.floor(Date.now() / 1000);

    await postEvents([
      event('S', 'click', 'b1'),
      event('S', 'view', 'a1'),
      event('T', 'add_to_cart', 'a2'),
      event('S', 'impression', 'a3'),
      event('S', 'hide', 'b3'),
      event('S', 'click', 'unknown-item'),
    ]);

    expect(put.mock.calls.map((c) => c[0]).sort()).toEqual(['session:v1:S', 'session:v1:T']);
    const stored = await env.RECS_KV.get('session:v1:S', 'json');
    // vector: b1 sets [0, 1]; a1 pulls it 0.3 of the way to [1, 0].
    expect(toSignals(stored as never)).toEqual({
      seen: new Set(['b1', 'a1', 'a3', 'unknown-item']),
      hidden: new Set(['b3']),
      vector: [0.3, 0.7],
      categories: { books: 1, shoes: 1 },
    });
    // Validated when written, so reads trust it (edge-worker/src/cache/stamped-record.ts).
    expect(stored).toHaveProperty(STAMP, SESSION_STATE_FINGERPRINT);
    expect(await env.RECS_KV.get('session:v1:T', 'json')).toMatchObject({
      seen: ['a2'],
      hidden: [],
      vector: SHOES,
      categories: { shoes: 1 },
    });
    const { keys } = await env.RECS_KV.list({ prefix: 'session:v1:S' });
    expect(keys[0]?.expiration).toBeGreaterThanOrEqual(start + 1800);
    expect(keys[0]?.expiration).toBeLessThanOrEqual(start + 1800 + 60);
  });

  it('on a miss caches the origin candidates as a v2 record and re-scores them for the session', async () => {
    const origin = installFakeOrigin().on(
      'GET',
      '/v1/recommendations',
      json({ ...originResponse(['a1', 'b1']), candidates: CANDIDATES }),
    );
    await env.RECS_KV.put(
      'session:v1:S',
      JSON.stringify({ seen: ['a1'], hidden: [], categories: {}, vector: [], updated_at: 1 }),
    );

    const body = await page('user_id=u9&limit=3&session_id=S');

    expect(ids(body)).toEqual(['b1', 'a2', 'b2']);
    expect(body).not.toHaveProperty('candidates');
    expect(origin.callsTo('GET', '/v1/recommendations')[0]!.url.searchParams.get('session_id')).toBeNull();
    const record = (await env.RECS_KV.get('recs:v1:u9:home', 'json')) as Record<string, unknown>;
    expect(record).toMatchObject({ v: 2, candidates: CANDIDATES, [STAMP]: RECS_RECORD_FINGERPRINT });
    expect(record.response).not.toHaveProperty('candidates');
  });

  it('still serves a v1 record (no candidates) trimmed, whatever the session', async () => {
    installFakeOrigin();
    const record = { v: 1, stored_at: Date.now(), response: originResponse(['x', 'y', 'z']) };
    await env.RECS_KV.put('recs:v1:u1:home', JSON.stringify(record));
    await env.RECS_KV.put(
      'session:v1:S',
      JSON.stringify({ seen: ['x'], hidden: [], categories: {}, vector: [], updated_at: 1 }),
    );

    const res = await callWorker('/v1/recommendations?user_id=u1&limit=2&session_id=S');

    expect(res.headers.get('x-attune-cache')).toBe('hit');
    expect(ids((await res.json()) as RecommendationResponse)).toEqual(['x', 'y']);
  });
});
