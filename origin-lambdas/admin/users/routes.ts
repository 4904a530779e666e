import { z } from 'zod';
import { SURFACES } from '../../../shared/schemas/recommendation';
import { notFound } from '../http/concurrency';
import { type AnyRoute, route } from '../http/registry';
import type { AdminServices } from '../services';
import { posteriorSummarySchema } from '../stats/schemas';
import { startUserDeletion } from './deletion';
import { exportUser } from './export';
import { topCampaigns } from './top-campaigns';

const userParams = z.object({ id: z.string().min(1).max(128) });

const jobSchema = z.object({
  job_id: z.string(),
  kind: z.string(),
  state: z.enum(['pending', 'running', 'succeeded', 'failed']),
  created_at: z.string(),
  finished_at: z.string().optional(),
  steps: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  error: z.string().optional(),
});

const topSchema = z.object({
  user_id: z.string(),
  ranking: z.enum(['similarity', 'priority']),
  opted_out: z.boolean(),
  items: z.array(
    z.object({
      campaign_id: z.string(),
      name: z.string(),
      priority: z.number(),
      similarity: z.number().nullable(),
      posterior: posteriorSummarySchema,
    }),
  ),
});

/** Users: top campaigns, and the privacy requests (export, delete, opt-out). */
export function userRoutes(s: AdminServices): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/admin/users/{id}/campaigns',
      tag: 'users',
      summary: 'Eligible campaigns for a user, by embedding similarity, with bandit posteriors',
      role: 'analyst',
      params: userParams,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(10),
        surface: z.enum(SURFACES).optional(),
        country: z
          .string()
          .regex(/^[A-Z]{2}$/)
          .optional(),
        device: z.enum(['mobile', 'desktop', 'tablet', 'tv', 'other']).optional(),
      }),
      response: { status: 200, name: 'TopCampaigns', schema: topSchema },
      handler: async (c, { params, query }) => c.json(await topCampaigns(s, params.id, query)),
    }),
    route({
      method: 'get',
      path: '/admin/users/{id}/export',
      tag: 'users',
      summary: 'Export everything held about a user',
      role: 'admin',
      params: userParams,
      response: { status: 200, name: 'UserExport', schema: z.record(z.string(), z.unknown()) },
      handler: async (c, { params }) => c.json(await exportUser(s, params.id)),
    }),
    route({
      method: 'delete',
      path: '/admin/users/{id}',
      tag: 'users',
      summary: 'Delete a user everywhere; answers a job to poll',
      role: 'admin',
      params: userParams,
      response: { status: 202, name: 'Job', schema: jobSchema },
      handler: async (c, { params }) => {
        const job = await startUserDeletion(s, params.id);
        await s.recordAudit(c, `job:${job.job_id}`, 'user.delete', undefined, {
          subject_hash: job.subject_hash,
        });
        const { subject_hash: _h, expires_at: _e, ...view } = job;
        c.header('location', `/admin/jobs/${job.job_id}`);
        return c.json(view, 202);
      },
    }),
    route({
      method: 'get',
      path: '/admin/jobs/{id}',
      tag: 'users',
      summary: 'Status of a background job',
      role: 'admin',
      params: z.object({ id: z.string().uuid() }),
      response: { status: 200, name: 'Job', schema: jobSchema },
      handler: async (c, { params }) => {
        const job = await s.jobs.get(params.id);
        if (!job) throw notFound(`job ${params.id}`);
        const { subject_hash: _h, expires_at: _e, ...view } = job;
        return c.json(view);
      },
    }),
    route({
      method: 'put',
      path: '/admin/users/{id}/opt-out',
      tag: 'users',
      summary: 'Opt a user out of (or back into) personalization',
      role: 'admin',
      params: userParams,
      body: z.object({ opted_out: z.boolean() }),
      response: {
        status: 200,
        name: 'OptOut',
        schema: z.object({ user_id: z.string(), opted_out: z.boolean(), opted_out_at: z.string() }),
      },
      handler: async (c, { params, body }) => {
        const at = new Date(s.now()).toISOString();
        const { before, after } = await s.prefs.setOptedOut(params.id, body.opted_out, at);
        await s.recordAudit(c, `user:${params.id}`, 'user.opt-out', before, after);
        return c.json({ user_id: params.id, opted_out: body.opted_out, opted_out_at: at });
      },
    }),
  ];
}
