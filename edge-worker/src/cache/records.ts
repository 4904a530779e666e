import { z } from 'zod';
import { edgeSlotsSchema } from '../../../shared/schemas/edge-slots';
import {
  candidateSchema,
  type RecommendationResponse,
  recommendationResponseSchema,
  recommendedItemSchema,
} from '../../../shared/schemas/recommendation';

/**
 * KV layout, versioned in the key and in the record so a format change can roll out
 * without reading old records as new ones.
 */
export const KV_KEYS = {
  /**
   * A subject's last answer for one surface (the key keeps v1: v1 and v2 records share it), and
   * per filter/context variant (`recommend/variant.ts`) under the same prefix.
   */
  recs: (subject: string, surface: string, variant = '') =>
    variant ? `recs:v1:${subject}:${surface}:${variant}` : `recs:v1:${subject}:${surface}`,
  /** Every cached answer of a subject, whatever the surface or variant. */
  recsPrefix: (subject: string) => `recs:v1:${subject}:`,
  /** One browsing session's state at the edge. */
  session: (sessionId: string) => `session:v1:${sessionId}`,
  /** Popular items in one country (`default` when the country is unknown). */
  segment: (country: string | undefined) => `list:v1:segment:${country ?? 'default'}`,
  /** Popular items everywhere. */
  popular: 'list:v1:popular',
} as const;

/** A cached answer: `stored_at` (epoch ms) decides fresh or stale. */
const recsRecordV1Schema = z.object({
  v: z.literal(1),
  stored_at: z.number().int().min(0),
  response: recommendationResponseSchema,
});

/**
 * v2 adds the candidate list the edge re-scores per session. Its `response` keeps the answer's
 * metadata but not its items: every page is built from the candidates, and a session that has
 * seen all of them goes back to the origin. (Older v2 records carry items; they are ignored.)
 */
const recsRecordV2Schema = z.object({
  v: z.literal(2),
  stored_at: z.number().int().min(0),
  response: recommendationResponseSchema.omit({ items: true, candidates: true, slots: true }),
  candidates: z.array(candidateSchema).max(500),
  /** The slot inputs (sponsored arms, exploration pool, rules) when the origin sent them. */
  slots: edgeSlotsSchema.optional(),
});

/** Either record version: old v1 records stay readable until they expire. */
export const recsRecordSchema = z.discriminatedUnion('v', [recsRecordV1Schema, recsRecordV2Schema]);

export type RecsRecord = z.infer<typeof recsRecordSchema>;

/**
 * The record an answer is cached as. The candidates live beside the answer's metadata, not
 * inside it, so they are stored once; with them, the ranked items are not stored at all.
 */
export function recsRecordFor(response: RecommendationResponse, storedAt: number): RecsRecord {
  const { candidates, slots, items, ...meta } = response;
  return candidates
    ? { v: 2, stored_at: storedAt, response: meta, candidates, ...(slots ? { slots } : {}) }
    : { v: 1, stored_at: storedAt, response: { ...meta, items } };
}

/** The stamp of records that satisfied `recsRecordSchema` when written (`stamped-record.ts`). */
export const RECS_RECORD_FINGERPRINT = 'recs-fc255867';

/** A precomputed fallback list (segment or global popular). */
export const listRecordSchema = z.object({
  v: z.literal(1),
  stored_at: z.number().int().min(0),
  items: z.array(recommendedItemSchema).min(1),
});

export type ListRecord = z.infer<typeof listRecordSchema>;
