import { z } from 'zod';
import { recommendedItemSchema } from './recommendation';

/** Model version the related-items blend reports. */
export const RELATED_MODEL_VERSION = 'related-v1';

/**
 * Body of `GET /v1/items/{id}/related`: the blended neighbours of one item. `sources` counts the
 * served items each source contributed (an item found by both counts for both), so a dashboard
 * sees when co-interaction lists are missing and popular lists are filling in.
 */
export const relatedResponseSchema = z.object({
  item_id: z.string(),
  items: z.array(recommendedItemSchema),
  request_id: z.string(),
  model_version: z.string(),
  surface: z.string().optional(),
  /** Whether the user's taste embedding took part in the blend. */
  personalized: z.boolean(),
  sources: z.object({
    content: z.number().int().min(0),
    co_interaction: z.number().int().min(0),
    popular: z.number().int().min(0),
  }),
  timings_ms: z.record(z.string(), z.number()),
  /** Dependencies that failed or timed out while serving this request. */
  degraded: z.array(z.string()).optional(),
});

export type RelatedResponse = z.infer<typeof relatedResponseSchema>;
