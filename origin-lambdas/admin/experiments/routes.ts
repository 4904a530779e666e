import { z } from 'zod';
import { requireIfMatch, versioned } from '../http/concurrency';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '../http/pagination';
import { type AnyRoute, route } from '../http/registry';
import type { AdminServices } from '../services';
import { ALL_CONTEXTS, ARM_IDS } from '../stats/posteriors';
import { posteriorSummarySchema } from '../stats/schemas';
import { assignVariant } from './bucketing';
import { experimentResults } from './results';
import { experimentInputSchema, experimentPatchSchema, experimentSchema } from './schemas';
import { createExperiment, transitionExperiment, updateExperiment } from './service';

const idParams = z.object({ id: z.string().min(1).max(64) });
const experiment = { status: 200, name: 'Experiment', schema: experimentSchema } as const;

const resultsSchema = z.object({
  experiment_id: z.string(),
  control: z.string(),
  variants: z.array(
    z.object({
      variant: z.string(),
      impressions: z.number(),
      clicks: z.number(),
      ctr: z.number(),
      posterior: posteriorSummarySchema,
      difference: z
        .object({ vs: z.string(), ctr: z.number(), interval: z.tuple([z.number(), z.number()]) })
        .optional(),
      probability_best: z.number(),
    }),
  ),
  guardrails: z.array(
    z.object({ metric: z.string(), variant: z.string(), relative_drop: z.number(), breached: z.boolean() }),
  ),
});

/** Experiments: design, lifecycle, assignment and results. */
export function experimentRoutes(s: AdminServices): AnyRoute[] {
  const transition = (action: 'start' | 'stop') =>
    route({
      method: 'post',
      path: `/admin/experiments/{id}/${action}`,
      tag: 'experiments',
      summary: `${action === 'start' ? 'Start' : 'Stop'} an experiment`,
      role: 'marketer',
      params: idParams,
      ifMatch: true,
      response: experiment,
      handler: async (c, { params }) =>
        versioned(c, await transitionExperiment(s, c, params.id, requireIfMatch(c), action)),
    });
  return [
    route({
      method: 'post',
      path: '/admin/experiments',
      tag: 'experiments',
      summary: 'Create an experiment (as a draft)',
      role: 'marketer',
      body: experimentInputSchema,
      response: { ...experiment, status: 201 },
      handler: async (c, { body }) => versioned(c, await createExperiment(s, c, body), 201),
    }),
    route({
      method: 'get',
      path: '/admin/experiments',
      tag: 'experiments',
      summary: 'List experiments',
      role: 'viewer',
      query: z.object(pageQuery),
      response: { status: 200, name: 'ExperimentPage', schema: pageOf(experimentSchema) },
      handler: async (c, { query }) => {
        const page = await s.experiments.list(query.limit, decodeCursor(query.cursor));
        return c.json({ items: page.items, next_cursor: encodeCursor(page.last) });
      },
    }),
    route({
      method: 'get',
      path: '/admin/experiments/{id}',
      tag: 'experiments',
      summary: 'Read an experiment',
      role: 'viewer',
      params: idParams,
      response: experiment,
      handler: async (c, { params }) => versioned(c, await s.experiments.require(params.id)),
    }),
    route({
      method: 'patch',
      path: '/admin/experiments/{id}',
      tag: 'experiments',
      summary: 'Edit a draft experiment',
      role: 'marketer',
      params: idParams,
      body: experimentPatchSchema,
      ifMatch: true,
      response: experiment,
      handler: async (c, { params, body }) =>
        versioned(c, await updateExperiment(s, c, params.id, requireIfMatch(c), body)),
    }),
    transition('start'),
    transition('stop'),
    route({
      method: 'get',
      path: '/admin/experiments/{id}/assignment',
      tag: 'experiments',
      summary: "A user's variant (deterministic in user id and salt)",
      role: 'viewer',
      params: idParams,
      query: z.object({ user_id: z.string().min(1).max(128) }),
      response: {
        status: 200,
        name: 'Assignment',
        schema: z.object({ experiment_id: z.string(), user_id: z.string(), variant: z.string().nullable() }),
      },
      handler: async (c, { params, query }) => {
        const e = await s.experiments.require(params.id);
        const variant = e.status === 'running' ? (assignVariant(e, query.user_id) ?? null) : null;
        return c.json({ experiment_id: e.experiment_id, user_id: query.user_id, variant });
      },
    }),
    route({
      method: 'get',
      path: '/admin/experiments/{id}/results',
      tag: 'experiments',
      summary: 'Impressions, clicks, CTR, difference to control and P(best) per variant',
      role: 'analyst',
      params: idParams,
      response: { status: 200, name: 'ExperimentResults', schema: resultsSchema },
      handler: async (c, { params }) => {
        const e = await s.experiments.require(params.id);
        const arms = e.variants.map((v) => ARM_IDS.variant(e.experiment_id, v.name));
        const byArm = await s.posteriors.many(arms, ALL_CONTEXTS);
        const rows = new Map(
          e.variants.flatMap((v) => {
            const row = byArm.get(ARM_IDS.variant(e.experiment_id, v.name));
            return row ? [[v.name, row] as const] : [];
          }),
        );
        return c.json({ experiment_id: e.experiment_id, ...experimentResults(e, rows) });
      },
    }),
  ];
}
