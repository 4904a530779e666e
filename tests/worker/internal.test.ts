import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KV_KEYS } from '../../edge-worker/src/cache/records';
import { callWorker } from './helpers/worker';

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const SECRET = 'test-internal-secret-0123456789';
// The secret is a Worker secret, not a generated var, hence the cast.
const withSecret = { ATTUNE_INTERNAL_SECRET: SECRET } as unknown as Partial<Record<keyof Env, string>>;
const purge = (subject: string, secret?: string, vars = withSecret) =>
  callWorker(
    `/internal/users/${encodeURIComponent(subject)}/cache`,
    { method: 'DELETE', headers: secret ? { 'x-attune-internal-secret': secret } : {} },
    vars,
  );

describe('DELETE /internal/users/:subject/cache', () => {
  it("removes the subject's cached lists on every surface and nobody else's", async () => {
    await env.RECS_KV.put(KV_KEYS.recs('u1', 'home'), '{}');
    await env.RECS_KV.put(KV_KEYS.recs('u1', 'email'), '{}');
    await env.RECS_KV.put(KV_KEYS.recs('u1', 'item', '0a1b2c3d'), '{}');
    await env.RECS_KV.put(KV_KEYS.recs('u10', 'home'), '{}');
    await env.RECS_KV.put(KV_KEYS.recs('u1:x', 'home'), '{}');

    const res = await purge('u1', SECRET);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: 'u1', removed: 3 });
    expect(await env.RECS_KV.get(KV_KEYS.recs('u1', 'item', '0a1b2c3d'))).toBeNull();
    expect(await env.RECS_KV.get(KV_KEYS.recs('u1:x', 'home'))).toBe('{}');
    expect(await env.RECS_KV.get(KV_KEYS.recs('u1', 'home'))).toBeNull();
    expect(await env.RECS_KV.get(KV_KEYS.recs('u1', 'email'))).toBeNull();
    expect(await env.RECS_KV.get(KV_KEYS.recs('u10', 'home'))).toBe('{}');
  });

  it('refuses a wrong or missing secret and keeps the cache', async () => {
    await env.RECS_KV.put(KV_KEYS.recs('u1', 'home'), '{}');
    expect((await purge('u1', 'wrong-secret-wrong-secret')).status).toBe(401);
    expect((await purge('u1')).status).toBe(401);
    expect(await env.RECS_KV.get(KV_KEYS.recs('u1', 'home'))).toBe('{}');
  });

  it('does not exist when no secret is configured', async () => {
    const res = await purge('u1', SECRET, {});
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
