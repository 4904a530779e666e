import { reset } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeOrigin, json } from './helpers/fake-origin';
import { callWorker, EDGE } from './helpers/worker';

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

describe('GET /health', () => {
  it('reports ok through the deployed entry point and echoes the request id', async () => {
    installFakeOrigin().on('GET', '/health', json({ status: 'ok' }));
    const self = (exports as unknown as { default: Fetcher }).default;

    const res = await self.fetch(`${EDGE}/health`, { headers: { 'x-request-id': 'req-health-1' } });

    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-health-1');
    expect(await res.json()).toEqual({
      status: 'ok',
      dependencies: { kv: { ok: true }, origin: { ok: true, detail: 'HTTP 200' } },
    });
  });

  it('stays 200 and reports degraded when the origin is down', async () => {
    const origin = installFakeOrigin().down();

    const res = await callWorker('/health');

    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      dependencies: { origin: { ok: boolean; detail: string } };
    };
    expect(body.status).toBe('degraded');
    expect(body.dependencies.origin.ok).toBe(false);
    expect(body.dependencies.origin.detail).toContain('origin unreachable');
    expect(origin.callsTo('GET', '/health')).toHaveLength(1);
  });

  it('answers a 500 problem naming the variable when configuration is invalid', async () => {
    installFakeOrigin();

    const res = await callWorker('/health', {}, { ORIGIN_URL: 'not a url', ORIGIN_TIMEOUT_MS: '250' });

    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { title: string; errors: { field: string }[]; request_id: string };
    expect(body.title).toBe('Invalid configuration');
    expect(body.errors.map((e) => e.field)).toEqual(['ORIGIN_URL']);
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
  });
});

describe('unknown routes and CORS', () => {
  it('answers 404 as problem+json', async () => {
    installFakeOrigin();

    const res = await callWorker('/nope');

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toBe('no route for GET /nope');
  });

  it('answers a preflight from an allowed origin and refuses others', async () => {
    installFakeOrigin();
    const vars = { ALLOWED_ORIGINS: 'https://shop.example, https://app.example' };
    const preflight = (origin: string) =>
      callWorker(
        '/v1/events',
        { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } },
        vars,
      );

    const allowed = await preflight('https://app.example');
    const refused = await preflight('https://evil.example');

    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
