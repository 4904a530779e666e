import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { SURFACES } from '../../../shared/schemas/recommendation';
import type { AppEnv } from '../app-env';
import { KV_KEYS } from '../cache/records';

/**
 * The secret the origin's admin API presents. It is a Worker secret (`wrangler secret put
 * ATTUNE_INTERNAL_SECRET`), not a `[vars]` entry, so it is read by name rather than from the
 * generated `Env`.
 */
const secretOf = (env: unknown): string | undefined => {
  const v = (env as Record<string, unknown>).ATTUNE_INTERNAL_SECRET;
  return typeof v === 'string' && v.length >= 16 ? v : undefined;
};

async function sameSecret(given: string, expected: string): Promise<boolean> {
  // Digests first: timingSafeEqual needs equal lengths, and this hides the secret's length too.
  const digest = (s: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/**
 * `DELETE /internal/users/:subject/cache`: removes a subject's cached lists on every surface,
 * the edge's part of a user deletion. Unconfigured, the route does not exist (404).
 */
export const internalRoutes = new Hono<AppEnv>().delete('/internal/users/:subject/cache', async (c) => {
  const expected = secretOf(c.env);
  if (!expected) throw new HTTPException(404, { message: `no route for ${c.req.method} ${c.req.path}` });
  const given = c.req.header('x-attune-internal-secret') ?? '';
  if (!(await sameSecret(given, expected)))
    throw new HTTPException(401, { message: 'invalid internal secret' });
  const subject = c.req.param('subject');
  // Listed by prefix: filtered and per-item variants live under the same prefix as the plain lists.
  // Ids may contain ':', so a key counts only when what follows the prefix is exactly a surface
  // and an optional variant: `u1:home` is not one of `u1`'s keys.
  const prefix = KV_KEYS.recsPrefix(subject);
  const own = new RegExp(`^(${SURFACES.join('|')})(:[0-9a-f]{8})?$`);
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.env.RECS_KV.list({ prefix, ...(cursor ? { cursor } : {}) });
    keys.push(...page.keys.map((k) => k.name).filter((k) => own.test(k.slice(prefix.length))));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  await Promise.all(keys.map((k) => c.env.RECS_KV.delete(k)));
  return c.json({ subject, removed: keys.length });
});
