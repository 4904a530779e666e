import { z } from 'zod';
import { SURFACES } from '../../../shared/schemas/recommendation';
import { withoutDefaults } from '../http/patch';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'ended', 'archived'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time of day as HH:MM');
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'an IANA time zone such as Europe/Paris' },
);

export const dailyWindowSchema = z
  .object({
    /** Days of the week, 0 = Sunday; every day when absent. */
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7).optional(),
    start: hhmm,
    end: hhmm,
  })
  .refine((w) => w.start !== w.end, { path: ['end'], message: 'must differ from start' });

export const scheduleSchema = z
  .object({
    start: z.iso.datetime({ offset: true }).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
    time_zone: timeZone.default('UTC'),
    daily_windows: z.array(dailyWindowSchema).max(14).default([]),
  })
  .refine((s) => !s.start || !s.end || Date.parse(s.end) > Date.parse(s.start), {
    path: ['end'],
    message: 'must be after start',
  });

export const targetingSchema = z.object({
  segments: z.array(z.string().min(1).max(64)).max(50).default([]),
  /** Categories the user must have shown affinity for (at least `min_affinity`). */
  category_affinities: z.array(z.string().min(1).max(64)).max(50).default([]),
  min_affinity: z.number().min(0).max(1).default(0.1),
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case'))
    .max(250)
    .default([]),
  devices: z
    .array(z.enum(['mobile', 'desktop', 'tablet', 'tv', 'other']))
    .max(5)
    .default([]),
  audience: z.enum(['all', 'new', 'returning']).default('all'),
});

export const creativeSchema = z
  .object({
    title: z.string().min(1).max(200),
    body: z.string().max(2000).default(''),
    image_url: z.url().optional(),
    landing_url: z.url().optional(),
    item_ids: z.array(z.string().min(1).max(128)).max(50).default([]),
  })
  .refine((c) => c.landing_url || c.item_ids.length > 0, {
    path: ['landing_url'],
    message: 'a landing_url or at least one item id is required',
  });

export const capsSchema = z.object({
  per_user_per_day: z.number().int().min(1).max(1000).optional(),
  total_impressions: z.number().int().min(1).optional(),
});

export const banditSchema = z.object({
  prior_alpha: z.number().positive().max(1e6).default(1),
  prior_beta: z.number().positive().max(1e6).default(1),
  exploration_share: z.number().min(0).max(1).default(0.1),
});

/** What a client sends to create a campaign. */
export const campaignInputSchema = z.object({
  name: z.string().min(1).max(200),
  status: z.enum(['draft', 'scheduled']).default('draft'),
  surfaces: z.array(z.enum(SURFACES)).min(1),
  schedule: scheduleSchema.default({ time_zone: 'UTC', daily_windows: [] }),
  targeting: targetingSchema.default({
    segments: [],
    category_affinities: [],
    min_affinity: 0.1,
    countries: [],
    devices: [],
    audience: 'all',
  }),
  creative: creativeSchema,
  priority: z.number().int().min(0).max(1000).default(100),
  caps: capsSchema.default({}),
  bandit: banditSchema.default({ prior_alpha: 1, prior_beta: 1, exploration_share: 0.1 }),
});

/** An update replaces the fields it names; status changes go through pause/resume/archive. */
export const campaignPatchSchema = withoutDefaults(campaignInputSchema)
  .omit({ status: true })
  .partial()
  .extend({ status: z.enum(['draft', 'scheduled']).optional() })
  .refine((p) => Object.keys(p).length > 0, { message: 'name at least one field to change' });

export type CampaignInput = z.infer<typeof campaignInputSchema>;
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

/** A campaign as stored and returned; `status` is the schedule-derived one on every read. */
export const campaignSchema = campaignInputSchema.extend({
  campaign_id: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  /** Whether the campaign may be shown right now (active and inside a daily window). */
  serving_now: z.boolean(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  embedding_dimensions: z.number().int(),
  embedding_space: z.string(),
});

export type Campaign = z.infer<typeof campaignSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type Targeting = z.infer<typeof targetingSchema>;
