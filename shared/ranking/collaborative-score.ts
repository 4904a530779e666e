/**
 * The collaborative retrieval score of each hit, the `retrieval_score` feature the ranker sees:
 * the hit's similarity to the user's taste (inner product or cosine, as the index reports it)
 * relative to the best hit of the same query, clamped to [0, 1]. Relative, because an inner
 * product's scale depends on the query's norm and on the embedding space, while the ranker needs
 * the same value in training and in serving; the head of the list scores 1. The origin
 * (`retrieval/sources.ts`) and the training pipeline (`local/training/served-retrieval.ts`) both
 * call this, so training rows carry exactly what serving computes.
 *
 * @param similarities the hits' similarities, best first (the order the index returns)
 * @returns one score per hit; all 0 when the best similarity is not positive
 */
export function collaborativeScores(similarities: readonly number[]): number[] {
  const top = similarities[0] ?? 0;
  if (!(top > 0) || !Number.isFinite(top)) return similarities.map(() => 0);
  return similarities.map((s) => (s > 0 ? Math.min(1, s / top) : 0));
}
