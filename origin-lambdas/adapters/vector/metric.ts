import { cosine } from '../../../shared/vector-math';

/**
 * How an index compares vectors. `cos` ranks by angle only; `ip` ranks by inner product, so an
 * item's norm counts: the trained CF embeddings need it (their norms carry popularity and
 * confidence, see docs/vector-search.md). On unit vectors the two rank alike.
 */
export const VECTOR_METRICS = ['cos', 'ip'] as const;

export type VectorMetric = (typeof VECTOR_METRICS)[number];

/** The similarity a hit of `metric` reports: cosine in [-1, 1], or the raw inner product. */
export function similarity(metric: VectorMetric, a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (metric === 'cos') return cosine(a, b);
  const n = Math.min(a.length, b.length);
  let dot = 0;
  for (let i = 0; i < n; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

/** A saved index was built with another metric than the one asked for; it must be rebuilt. */
export class VectorMetricMismatchError extends Error {
  override readonly name = 'VectorMetricMismatchError';
  constructor(
    readonly saved: VectorMetric,
    readonly wanted: VectorMetric,
    where: string,
  ) {
    super(`vector index in ${where} was built with metric '${saved}', not '${wanted}'; rebuild it`);
  }
}
