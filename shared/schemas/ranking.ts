import { z } from 'zod';

/**
 * The compact payload the origin sends to the ranking endpoint: one flat row-major feature
 * matrix for all candidates in one call, so a few hundred candidates cost one round trip.
 */
export const rankingRequestSchema = z.object({
  feature_names: z.array(z.string()).min(1),
  rows: z.number().int().min(1).max(5000),
  features: z.array(z.number()),
});

export type RankingRequest = z.infer<typeof rankingRequestSchema>;

export const rankingResponseSchema = z.object({
  scores: z.array(z.number()),
  model_version: z.string(),
});

export type RankingResponse = z.infer<typeof rankingResponseSchema>;

/** Feature order the default ranker was built with; the origin assembles rows in this order. */
export const DEFAULT_FEATURES = ['popularity', 'freshness', 'affinity', 'similarity'] as const;

/**
 * Features the trained ranker declares (`local/training/train-model.ts`): the default four, the
 * retrieval score and the source indicators training reproduces exactly (collaborative k-NN,
 * content k-NN around recent items, and, as the zero case, the popular list). Trending and
 * editorial are left out: training has no trend history or editorial picks to replay.
 */
export const RANKER_FEATURES = [
  ...DEFAULT_FEATURES,
  'retrieval_score',
  'src_collaborative',
  'src_content',
] as const;
