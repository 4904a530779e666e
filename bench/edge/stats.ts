/** Small statistics over raw samples, shared by the load report. */

/** The `p` quantile (0..1) of an ascending array, nearest rank; 0 for an empty one. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

/** Rounds to `digits` decimals (figures in the JSON line). */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
