import { z } from 'zod';
import { notFound } from '../http/concurrency';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '../http/pagination';
import { type AnyRoute, route } from '../http/registry';
import type { AdminServices } from '../services';
import { issueKey, publicKey } from './issue';
import { ROLES } from './roles';

const keySchema = z.object({
  key_id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  created_at: z.string(),
  created_by: z.string(),
  expires_at: z.string().optional(),
  revoked_at: z.string().optional(),
});

/** API keys: issue (the plaintext is in this one response only), list, revoke; and whoami. */
export function keyRoutes(s: AdminServices): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/admin/keys',
      tag: 'keys',
      summary: 'Issue an API key; the key is shown once',
      role: 'admin',
      body: z.object({
        role: z.enum(ROLES),
        name: z.string().min(1).max(100),
        expires_in_days: z.number().positive().max(3650).optional(),
      }),
      response: { status: 201, name: 'IssuedKey', schema: keySchema.extend({ key: z.string() }) },
      handler: async (c, { body }) => {
        const { record, plaintext } = await issueKey(s.keys, {
          role: body.role,
          name: body.name,
          expiresInDays: body.expires_in_days,
          createdBy: c.get('principal').keyId,
          now: new Date(s.now()),
        });
        await s.recordAudit(c, `key:${record.key_id}`, 'key.create', undefined, publicKey(record));
        c.header('cache-control', 'no-store');
        return c.json({ ...publicKey(record), key: plaintext }, 201);
      },
    }),
    route({
      method: 'get',
      path: '/admin/keys',
      tag: 'keys',
      summary: 'List API keys (never their secrets)',
      role: 'admin',
      query: z.object(pageQuery),
      response: { status: 200, name: 'KeyPage', schema: pageOf(keySchema) },
      handler: async (c, { query }) => {
        const page = await s.keys.list(query.limit, decodeCursor(query.cursor));
        return c.json({ items: page.items.map(publicKey), next_cursor: encodeCursor(page.last) });
      },
    }),
    route({
      method: 'delete',
      path: '/admin/keys/{id}',
      tag: 'keys',
      summary: 'Revoke an API key',
      role: 'admin',
      params: z.object({ id: z.string().regex(/^[a-f0-9]{16}$/) }),
      response: { status: 200, name: 'ApiKey', schema: keySchema },
      handler: async (c, { params }) => {
        const before = await s.keys.get(params.id);
        const after = await s.keys.revoke(params.id, new Date(s.now()).toISOString());
        if (!before || !after) throw notFound(`key ${params.id}`);
        await s.recordAudit(c, `key:${params.id}`, 'key.revoke', publicKey(before), publicKey(after));
        return c.json(publicKey(after));
      },
    }),
    route({
      method: 'get',
      path: '/admin/whoami',
      tag: 'keys',
      summary: "The calling key's id and role",
      role: 'viewer',
      response: {
        status: 200,
        name: 'Principal',
        schema: z.object({ key_id: z.string(), role: z.enum(ROLES) }),
      },
      handler: async (c) => c.json({ key_id: c.get('principal').keyId, role: c.get('principal').role }),
    }),
  ];
}
