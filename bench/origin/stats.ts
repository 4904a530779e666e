/** Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** Latency summary in ms, rounded to 0.01 ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** p50/p95/p99 (nearest rank), mean and max of unsorted samples. */
export function summarize(values: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: r2(percentileSorted(sorted, 50)),
    p95: r2(percentileSorted(sorted, 95)),
    p99: r2(percentileSorted(sorted, 99)),
    mean: sorted.length ? r2(sum / sorted.length) : Number.NaN,
    max: sorted.length ? r2(sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/**
 * Share of the exact top k the approximate answer found: |approx ∩ exact[:k]| / min(k, |exact|).
 * Order inside the top k does not matter; approximate hits beyond k are ignored.
 */
export function recallAtK(exact: readonly string[], approx: readonly string[], k: number): number {
  const truth = new Set(exact.slice(0, k));
  if (truth.size === 0) return 1;
  let found = 0;
  for (const id of new Set(approx.slice(0, k))) if (truth.has(id)) found++;
  return found / truth.size;
}
