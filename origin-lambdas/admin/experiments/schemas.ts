import { z } from 'zod';
import { SURFACES } from '../../../shared/schemas/recommendation';
import { withoutDefaults } from '../http/patch';

export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped'] as const;

const variantSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, - and _'),
  /** Share of the experiment's traffic, relative to the other variants' weights. */
  weight: z.number().positive().max(1000),
  /** What the variant changes: a model version and/or ranking configuration overrides. */
  model_version: z.string().max(128).optional(),
  ranking: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});

export const guardrailSchema = z.object({
  metric: z.enum(['ctr']),
  /** Largest acceptable relative drop against control, e.g. 0.1 = 10% lower CTR. */
  max_relative_drop: z.number().min(0).max(1),
});

const fields = {
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  surfaces: z.array(z.enum(SURFACES)).min(1),
  /** Fraction of users who enter the experiment at all. */
  traffic: z.number().min(0).max(1).default(1),
  variants: z.array(variantSchema).min(2).max(10),
  control: z.string().optional(),
  guardrails: z.array(guardrailSchema).max(10).default([]),
  salt: z.string().min(1).max(64).optional(),
};

const consistent = <T extends { variants?: { name: string }[]; control?: string }>(s: z.ZodType<T>) =>
  s
    .refine((e) => !e.variants || new Set(e.variants.map((v) => v.name)).size === e.variants.length, {
      path: ['variants'],
      message: 'variant names must be unique',
    })
    .refine((e) => !e.control || !e.variants || e.variants.some((v) => v.name === e.control), {
      path: ['control'],
      message: 'must name one of the variants',
    });

export const experimentInputSchema = consistent(z.object(fields));
export const experimentPatchSchema = consistent(withoutDefaults(z.object(fields)).partial()).refine(
  (p) => Object.keys(p).length > 0,
  {
    message: 'name at least one field to change',
  },
);

export const experimentSchema = z.object({
  ...fields,
  description: z.string(),
  traffic: z.number(),
  guardrails: z.array(guardrailSchema),
  experiment_id: z.string(),
  control: z.string(),
  salt: z.string(),
  status: z.enum(EXPERIMENT_STATUSES),
  started_at: z.string().optional(),
  stopped_at: z.string().optional(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentInput = z.infer<typeof experimentInputSchema>;
export type ExperimentPatch = z.infer<typeof experimentPatchSchema>;
