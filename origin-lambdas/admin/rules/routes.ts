import type { Context } from 'hono';
import { z } from 'zod';
import { ClientError } from '../../common/errors';
import { notFound, requireIfMatch, staleVersion, versioned } from '../http/concurrency';
import type { AdminEnv } from '../http/env';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '../http/pagination';
import { type AnyRoute, route } from '../http/registry';
import type { AdminServices } from '../services';
import { type RuleVersion, ruleVersionSchema, ruleWriteSchema, surfaceParams } from './schemas';

const ruleVersion = { status: 200, name: 'RuleVersion', schema: ruleVersionSchema } as const;

/**
 * Appends the next version after checking `If-Match` names the current one. The first version
 * of a surface needs no If-Match (there is nothing to overwrite).
 */
async function appendVersion(
  s: AdminServices,
  c: Context<AdminEnv>,
  surface: string,
  content: Pick<RuleVersion, 'rules' | 'note' | 'rolled_back_from'>,
  action: string,
) {
  const current = await s.rules.current(surface);
  const expected = current || c.req.header('if-match') ? requireIfMatch(c) : 0;
  if ((current?.version ?? 0) !== expected) throw staleVersion(`rules for ${surface}`);
  const next: RuleVersion = {
    surface,
    version: expected + 1,
    ...content,
    created_at: new Date(s.now()).toISOString(),
    created_by: c.get('principal').keyId,
  };
  await s.rules.append(next);
  await s.recordAudit(c, `rules:${surface}`, action, current, next);
  return next;
}

/** Versioned rules per surface: current, history, one version, write and rollback. */
export function ruleRoutes(s: AdminServices): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/admin/rules/{surface}',
      tag: 'rules',
      summary: "A surface's current rules",
      role: 'viewer',
      params: surfaceParams,
      response: ruleVersion,
      handler: async (c, { params }) => {
        const v = await s.rules.current(params.surface);
        if (!v) throw notFound(`rules for ${params.surface}`);
        return versioned(c, v);
      },
    }),
    route({
      method: 'put',
      path: '/admin/rules/{surface}',
      tag: 'rules',
      summary: 'Write a new version of the rules (If-Match: the current version)',
      role: 'marketer',
      params: surfaceParams,
      body: ruleWriteSchema,
      ifMatch: true,
      response: ruleVersion,
      handler: async (c, { params, body }) =>
        versioned(c, await appendVersion(s, c, params.surface, body, 'rules.write')),
    }),
    route({
      method: 'get',
      path: '/admin/rules/{surface}/versions',
      tag: 'rules',
      summary: 'Rule history, newest first',
      role: 'viewer',
      params: surfaceParams,
      query: z.object(pageQuery),
      response: { status: 200, name: 'RuleVersionPage', schema: pageOf(ruleVersionSchema) },
      handler: async (c, { params, query }) => {
        const page = await s.rules.history(params.surface, query.limit, decodeCursor(query.cursor));
        return c.json({ items: page.items, next_cursor: encodeCursor(page.last) });
      },
    }),
    route({
      method: 'get',
      path: '/admin/rules/{surface}/versions/{version}',
      tag: 'rules',
      summary: 'One version of the rules',
      role: 'viewer',
      params: surfaceParams.extend({ version: z.coerce.number().int().min(1) }),
      response: ruleVersion,
      handler: async (c, { params }) => {
        const v = await s.rules.get(params.surface, params.version);
        if (!v) throw notFound(`rules version ${params.version} for ${params.surface}`);
        return c.json(v);
      },
    }),
    route({
      method: 'post',
      path: '/admin/rules/{surface}/rollback',
      tag: 'rules',
      summary: 'Roll back: a new version with the content of an older one',
      role: 'marketer',
      params: surfaceParams,
      body: z.object({ version: z.number().int().min(1) }),
      ifMatch: true,
      response: ruleVersion,
      handler: async (c, { params, body }) => {
        const old = await s.rules.get(params.surface, body.version);
        if (!old) throw new ClientError(404, 'Not found', `rules version ${body.version} does not exist`);
        const content = {
          rules: old.rules,
          note: `rollback to ${old.version}`,
          rolled_back_from: old.version,
        };
        return versioned(c, await appendVersion(s, c, params.surface, content, 'rules.rollback'));
      },
    }),
  ];
}
