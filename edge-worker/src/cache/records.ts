import { z } from 'zod';
import { recommendationResponseSchema, recommendedItemSchema } from '../../../shared/schemas/recommendation';

/**
 * KV layout, versioned in the key and in the record so a format change can roll out
 * without reading old records as new ones.
 */
export const KV_KEYS = {
  /** A subject's last answer for one surface. */
  recs: (subject: string, surface: string) => `recs:v1:${subject}:${surface}`,
  /** Popular items in one country (`default` when the country is unknown). */
  segment: (country: string | undefined) => `list:v1:segment:${country ?? 'default'}`,
  /** Popular items everywhere. */
  popular: 'list:v1:popular',
} as const;

/** A cached answer: `stored_at` (epoch ms) decides fresh or stale. */
export const recsRecordSchema = z.object({
  v: z.literal(1),
  stored_at: z.number().int().min(0),
  response: recommendationResponseSchema,
});

export type RecsRecord = z.infer<typeof recsRecordSchema>;

/** A precomputed fallback list (segment or global popular). */
export const listRecordSchema = z.object({
  v: z.literal(1),
  stored_at: z.number().int().min(0),
  items: z.array(recommendedItemSchema).min(1),
});

export type ListRecord = z.infer<typeof listRecordSchema>;
