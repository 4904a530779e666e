/**
 * Every feature the origin can compute for a (user, candidate) pair, by name. The origin sends
 * them all, named; a ranker declares the subset it was trained on and the endpoint selects those
 * columns by name, so adding a feature here never breaks a deployed model.
 */
export const FEATURE_CATALOG = [
  'popularity',
  'freshness',
  'affinity',
  'similarity',
  'ctr',
  'trending',
  'price_fit',
  'session_similarity',
  'mood_match',
  'retrieval_score',
  'src_collaborative',
  'src_content',
  'src_trending',
  'src_editorial',
  'src_popular',
] as const;

export type FeatureName = (typeof FEATURE_CATALOG)[number];
