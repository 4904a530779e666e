import { z } from 'zod';
import { candidateSchema } from './candidate';

const count = z.number().positive().max(1e12);
const position = z.number().int().min(0).max(99);

/** The wire form of `SurfaceRules` (shared/scoring/surface-rules.ts). */
export const surfaceRulesSchema = z.object({
  maxPerCategory: z.number().int().min(1).max(100),
  window: z.number().int().min(1).max(100),
  freshnessBoost: z.number().min(0).max(10),
  freshnessHalfLifeDays: z.number().positive().max(3650),
  sponsoredPositions: z.array(position).max(20).readonly(),
  pinned: z
    .array(z.object({ item_id: z.string(), position }))
    .max(20)
    .readonly(),
  explorationShare: z.number().min(0).max(1),
  diversity: z.enum(['cap', 'mmr']),
  mmrLambda: z.number().min(0).max(1),
});

/** One sponsored arm as the origin found it eligible for this user: targeting is already applied. */
export const slotArmSchema = z.object({
  campaign_id: z.string(),
  priority: z.number().int().min(0).max(1000),
  /** The campaign's Beta posterior (its prior included) when the record was made. */
  alpha: count,
  beta: count,
  item: candidateSchema,
});

/** An exploration candidate with its item's Beta posterior when the record was made. */
export const poolCandidateSchema = candidateSchema.extend({ alpha: count, beta: count });

/**
 * An exploration item that is also in the answer's candidate list: only its id and posterior
 * travel, the edge takes the rest from the list. Why: most of the pool is in the list, and
 * repeating it was a sixth of the record the edge parses on every hit.
 */
export const poolRefSchema = z.object({ item_id: z.string(), alpha: count, beta: count });

export type PoolEntry = z.infer<typeof poolCandidateSchema> | z.infer<typeof poolRefSchema>;

/** True when the entry carries the whole candidate, false when it points into the list. */
export const isPoolCandidate = (e: PoolEntry): e is z.infer<typeof poolCandidateSchema> => 'category' in e;

/**
 * What the origin hands the edge, beside the candidate list, so the edge can decide the
 * sponsored and exploration slots per request by Thompson sampling.
 */
export const edgeSlotsSchema = z.object({
  /** The surface's rules when the record was made; a fresher snapshot overrides them. */
  rules: surfaceRulesSchema,
  sponsored: z.array(slotArmSchema).max(50),
  /** Candidates eligible for exploration slots, and pinned items; whole, or by id when in the list. */
  // Whole entries first: a whole entry also satisfies the (non-strict) reference schema.
  pool: z.array(z.union([poolCandidateSchema, poolRefSchema])).max(100),
  /** This subject's experiment-variant rule changes, applied over whichever rules the edge uses. */
  overrides: surfaceRulesSchema
    .pick({
      explorationShare: true,
      maxPerCategory: true,
      window: true,
      freshnessBoost: true,
      diversity: true,
      mmrLambda: true,
    })
    .partial()
    .optional(),
});

export type EdgeSlots = z.infer<typeof edgeSlotsSchema>;

/** A campaign as the edge needs to know it between records: may it serve, and its posterior. */
export const snapshotCampaignSchema = z.object({
  /** Active, inside its schedule and under its total cap when the snapshot was made. */
  live: z.boolean(),
  alpha: count,
  beta: count,
});

/**
 * The bandit and rules snapshot the origin serves at `GET /v1/edge/snapshot` and the edge pulls
 * on a short TTL: campaign posteriors and status, and each surface's effective rules.
 */
export const edgeSnapshotSchema = z.object({
  v: z.literal(1),
  /** Epoch ms at the origin. */
  generated_at: z.number().int().min(0),
  rules: z.record(z.string(), surfaceRulesSchema),
  campaigns: z.record(z.string(), snapshotCampaignSchema),
});

export type EdgeSnapshot = z.infer<typeof edgeSnapshotSchema>;
