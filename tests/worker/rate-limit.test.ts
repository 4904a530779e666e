import { reset } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clickEvent, originResponse } from './helpers/factories';
import { installFakeOrigin, json } from './helpers/fake-origin';
import { callWorker } from './helpers/worker';

// Near the real clock: events carry `ts`, which the event schema checks against now.
const T0 = Math.floor(Date.now() / 1000) * 1000;

beforeEach(() => {
  // A burst is requests at one instant: the clock only moves when a test moves it.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await reset();
});

/** A key no other test (or earlier run in this isolate) has used. */
const fresh = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

interface RateProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  limit: string;
  retry_after_seconds: number;
  rate_per_second?: number;
  burst?: number;
  period_seconds?: number;
}

async function burst(n: number, call: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call();
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

describe('rate limiting: token bucket per client key', () => {
  it('turns away the 41st request of a burst with a 429 problem naming the limit, and Retry-After', async () => {
    const origin = installFakeOrigin().on('GET', '/v1/recommendations', json(originResponse(['a', 'b'])));
    const user = fresh('burst');
    const recs = () => callWorker(`/v1/recommendations?user_id=${user}`);

    const statuses = await burst(40, recs);
    const callsBefore = origin.calls.length;
    const res = await recs();

    expect(statuses).toEqual(Array(40).fill(200));
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    const problem = (await res.json()) as RateProblem;
    expect(problem).toMatchObject({
      type: 'https://attune.dev/problems/too-many-requests',
      title: 'Too many requests',
      status: 429,
      limit: 'edge-token-bucket',
      retry_after_seconds: 1,
      rate_per_second: 20,
      burst: 40,
    });
    expect(problem.detail).toContain('40 requests');
    expect(origin.calls.length).toBe(callsBefore);
  });

  it('leaves a different user unaffected', async () => {
    installFakeOrigin().on('GET', '/v1/recommendations', json(originResponse(['a'])));
    const noisy = fresh('noisy');
    await burst(41, () => callWorker(`/v1/recommendations?user_id=${noisy}`));

    const other = await callWorker(`/v1/recommendations?user_id=${fresh('quiet')}`);
    const again = await callWorker(`/v1/recommendations?user_id=${noisy}`);

    expect(other.status).toBe(200);
    expect(again.status).toBe(429);
  });

  it('refills at RATE_LIMIT_RPS: after Retry-After seconds the client is served again', async () => {
    installFakeOrigin().on('GET', '/v1/recommendations', json(originResponse(['a'])));
    const user = fresh('refill');
    const recs = () => callWorker(`/v1/recommendations?user_id=${user}`);
    await burst(40, recs);
    const denied = await recs();
    const wait = Number(denied.headers.get('retry-after'));

    vi.setSystemTime(T0 + wait * 1000);
    const afterWait = await burst(20, recs);
    const overAgain = await recs();

    expect(denied.status).toBe(429);
    expect(afterWait).toEqual(Array(20).fill(200));
    expect(overAgain.status).toBe(429);
  });

  it('reads the limits from RATE_LIMIT_RPS and RATE_LIMIT_BURST, with Retry-After rounded up', async () => {
    installFakeOrigin().on('GET', '/v1/recommendations', json(originResponse(['a'])));
    const user = fresh('vars');
    const vars = { RATE_LIMIT_RPS: '0.25', RATE_LIMIT_BURST: '2' };
    const recs = () => callWorker(`/v1/recommendations?user_id=${user}`, {}, vars);

    const statuses = await burst(3, recs);
    const res = await recs();

    expect(statuses).toEqual([200, 200, 429]);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(await res.json()).toMatchObject({ rate_per_second: 0.25, burst: 2, retry_after_seconds: 4 });
  });

  it('limits POST /v1/events by the identity in the query, else by CF-Connecting-IP', async () => {
    installFakeOrigin().on('POST', '/v1/events', json({ accepted: 1, rejected: [] }, 202));
    const anon = fresh('anon');
    const post = (query: string, ip: string) =>
      callWorker(`/v1/events${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'cf-connecting-ip': ip },
        body: JSON.stringify(clickEvent({ user_id: undefined, anonymous_id: anon })),
      });

    const byId = await burst(41, () => post(`?anonymous_id=${anon}`, '192.0.2.1'));
    const byIp = await burst(41, () => post('', '192.0.2.7'));
    const otherIp = await post('', '192.0.2.8');

    expect(byId.slice(0, 40)).toEqual(Array(40).fill(202));
    expect(byId[40]).toBe(429);
    expect(byIp.slice(0, 40)).toEqual(Array(40).fill(202));
    expect(byIp[40]).toBe(429);
    expect(otherIp.status).toBe(202);
  });

  it('limits GET /v1/items/:id/related and never counts CORS preflights', async () => {
    installFakeOrigin().on('GET', '/v1/items/i-1/related', () => new Response('gone', { status: 500 }));
    const user = fresh('related');
    const preflight = () =>
      callWorker(`/v1/items/i-1/related?user_id=${user}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
      });

    const preflights = await burst(45, preflight);
    const gets = await burst(41, () => callWorker(`/v1/items/i-1/related?user_id=${user}`));

    expect(preflights).toEqual(Array(45).fill(204));
    expect(gets.slice(0, 40)).toEqual(Array(40).fill(200));
    expect(gets[40]).toBe(429);
  });

  it('lets a browser read Retry-After on a cross-origin 429', async () => {
    installFakeOrigin().on('GET', '/v1/recommendations', json(originResponse(['a'])));
    const user = fresh('cors');
    const vars = { RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '1' };
    const recs = () =>
      callWorker(
        `/v1/recommendations?user_id=${user}`,
        { headers: { origin: 'https://shop.example' } },
        vars,
      );
    await burst(1, recs);

    const res = await recs();

    expect(res.status).toBe(429);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
  });
});

describe('rate limiting: the RATE_LIMITER binding', () => {
  it('turns a client away once it passes the binding limit, even when the bucket would allow it', async () => {
    vi.useRealTimers();
    const key = fresh('binding');
    // The bucket allows everything here, so any 429 comes from the binding (240 per 10 s window).
    const vars = { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000' };
    // A 415 costs nothing past the limiter; the count is what matters. At most one window
    // boundary falls inside the loop, so the limit is passed within 2 x 240 + 1 requests.
    const post = () =>
      callWorker(
        `/v1/events?user_id=${key}`,
        { method: 'POST', headers: { 'content-type': 'text/csv' } },
        vars,
      );

    let denied: Response | undefined;
    let sent = 0;
    while (!denied && sent < 481) {
      const res = await post();
      sent += 1;
      if (res.status === 429) denied = res;
      else await res.arrayBuffer();
    }

    expect(denied?.status).toBe(429);
    expect(sent).toBeGreaterThan(240);
    const problem = (await denied!.json()) as RateProblem;
    expect(problem).toMatchObject({ limit: 'RATE_LIMITER', period_seconds: 10 });
    const retryAfter = Number(denied!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
  });
});
