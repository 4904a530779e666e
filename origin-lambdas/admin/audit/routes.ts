import { z } from 'zod';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '../http/pagination';
import { route } from '../http/registry';
import type { AdminServices } from '../services';

const auditRecordSchema = z.object({
  entity: z.string(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  request_id: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

/** `GET /admin/audit?entity=campaign:<id>`: an entity's audit trail, newest first. */
export function auditRoutes(s: AdminServices) {
  return [
    route({
      method: 'get',
      path: '/admin/audit',
      tag: 'audit',
      summary: "An entity's audit trail, newest first",
      role: 'admin',
      query: z.object({ entity: z.string().min(3).max(300), ...pageQuery }),
      response: { status: 200, name: 'AuditPage', schema: pageOf(auditRecordSchema) },
      handler: async (c, { query }) => {
        const page = await s.audit.list(query.entity, query.limit, decodeCursor(query.cursor));
        const items = page.items.map(({ expires_at: _e, ...r }) => r);
        return c.json({ items, next_cursor: encodeCursor(page.last) });
      },
    }),
  ];
}
