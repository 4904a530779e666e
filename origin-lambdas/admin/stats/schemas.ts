import { z } from 'zod';

export const posteriorSummarySchema = z.object({
  alpha: z.number(),
  beta: z.number(),
  mean: z.number(),
  interval: z.tuple([z.number(), z.number()]),
});

export const campaignStatsSchema = z.object({
  campaign_id: z.string(),
  contexts: z.array(
    z.object({
      arm_id: z.string(),
      context: z.string(),
      impressions: z.number(),
      clicks: z.number(),
      conversions: z.number(),
      ctr: z.number(),
      conversion_rate: z.number(),
      posterior: posteriorSummarySchema,
      competitors: z.number().int(),
      probability_best: z.number(),
    }),
  ),
});
