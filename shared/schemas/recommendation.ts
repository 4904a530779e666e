import { z } from 'zod';
import { MODALITIES } from '../ports/item-catalog';
import { candidateSchema } from './candidate';
import { edgeSlotsSchema } from './edge-slots';

export { type CachedCandidate, candidateSchema } from './candidate';

export const SURFACES = ['home', 'item', 'cart', 'search', 'email', 'notification'] as const;
export const DEVICES = ['desktop', 'mobile', 'tablet', 'tv', 'other'] as const;

const csv = (max: number) =>
  z
    .string()
    .max(4096)
    .optional()
    .transform((v) => (v ? v.split(',').filter(Boolean) : []))
    .refine((xs) => xs.length <= max, { message: `at most ${max} values` });
const modalityList = csv(4).refine((xs) => xs.every((x) => (MODALITIES as readonly string[]).includes(x)), {
  message: `each of ${MODALITIES.join(', ')}`,
});
const itemId = z.string().min(1).max(128);

/** Query accepted by `GET /v1/recommendations` at the edge and at the origin. */
export const recommendationQuerySchema = z
  .object({
    user_id: z.string().min(1).max(128).optional(),
    anonymous_id: z.string().min(1).max(128).optional(),
    surface: z.enum(SURFACES).default('home'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    exclude: csv(200),
    /** Hard filters: only these categories / modalities, and a price range. */
    categories: csv(50),
    modalities: modalityList,
    price_min: z.coerce.number().min(0).optional(),
    price_max: z.coerce.number().min(0).optional(),
    /** Context: where and on what the request is made. */
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 country code')
      .transform((c) => c.toUpperCase())
      .optional(),
    device: z.enum(DEVICES).optional(),
    locale: z.string().min(2).max(35).optional(),
    /** The item being viewed (item pages): anchors content retrieval and is never recommended. */
    item_id: itemId.optional(),
    /** Items engaged with in this session, most recent first. */
    session_items: csv(50),
    explain: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
    /** Ask the origin for the compact candidate list the edge re-scores (edge-only, costs bytes). */
    candidates: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
    /** The browsing session; the edge adapts the list to it (else the `attune_sid` cookie). */
    session_id: z
      .string()
      .regex(/^[\w.:-]{1,128}$/)
      .optional(),
  })
  .strict()
  .refine((q) => q.user_id || q.anonymous_id, {
    path: ['user_id'],
    message: 'user_id or anonymous_id is required',
  })
  .refine((q) => q.price_min === undefined || q.price_max === undefined || q.price_min <= q.price_max, {
    path: ['price_max'],
    message: 'must be at least price_min',
  });

export type RecommendationQuery = z.infer<typeof recommendationQuerySchema>;

export const reasonSchema = z.object({
  code: z.enum([
    'popular',
    'trending',
    'because_viewed',
    'similar',
    'new',
    'sponsored',
    'explore',
    'fallback',
  ]),
  text: z.string(),
});

export type Reason = z.infer<typeof reasonSchema>;

export const recommendedItemSchema = z.object({
  item_id: z.string(),
  score: z.number(),
  position: z.number().int().min(0),
  reasons: z.array(reasonSchema),
  sponsored: z.boolean(),
  /** The campaign behind a sponsored item: clients send it back with events to credit its arm. */
  campaign_id: z.string().optional(),
  title: z.string().optional(),
  category: z.string().optional(),
});

export type RecommendedItem = z.infer<typeof recommendedItemSchema>;

/**
 * Which rung of the degradation ladder served: 0 full funnel, 1 reduced, 2 last good list,
 * 3 segment list, 4 global popular, 5 the list compiled into the edge.
 */
export const FALLBACK_LEVELS = [0, 1, 2, 3, 4, 5] as const;

export const recommendationResponseSchema = z.object({
  items: z.array(recommendedItemSchema).min(1),
  request_id: z.string(),
  decision_id: z.string(),
  surface: z.string(),
  model_version: z.string(),
  fallback_level: z.number().int().min(0).max(5),
  served_by: z.enum(['origin', 'edge-cache', 'edge-fallback']),
  candidates_retrieved: z.number().int().min(0),
  candidates_scored: z.number().int().min(0),
  timings_ms: z.record(z.string(), z.number()),
  /** Version of the embedding space retrieval used; absent when no embedding was involved. */
  embedding_version: z.string().optional(),
  /** Which cold-start stage served: from popular in segment to fully collaborative. */
  cold_start_stage: z.enum(['popular', 'category', 'content', 'collaborative']).optional(),
  /** What scored the candidates: the model endpoint, its in-process CPU copy, or a heuristic. */
  scorer: z.enum(['endpoint', 'cpu-fallback', 'heuristic', 'none']).optional(),
  /** Dependencies that failed or timed out while serving this request. */
  degraded: z.array(z.string()).optional(),
  /** The running experiments this subject is in on this surface, and their variant. */
  experiments: z
    .array(z.object({ experiment_id: z.string(), variant: z.string() }))
    .max(20)
    .optional(),
  /** The top scored candidates, beyond `limit`, only when the query asked (`candidates=1`). */
  candidates: z.array(candidateSchema).max(500).optional(),
  /** What the edge needs to fill sponsored and exploration slots itself, with `candidates`. */
  slots: edgeSlotsSchema.optional(),
});

export type RecommendationResponse = z.infer<typeof recommendationResponseSchema>;
