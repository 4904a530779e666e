/** Dot product of `v` with each centroid. */
function scores(centroids: readonly Float32Array[], v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(centroids.length);
  centroids.forEach((c, i) => {
    let dot = 0;
    for (let d = 0; d < c.length; d++) dot += (c[d] as number) * (v[d] as number);
    out[i] = dot;
  });
  return out;
}

/**
 * The partition a vector belongs to: the unit centroid of largest dot product, i.e. the closest
 * direction (the lower index on a tie). The first partition a search for `v` probes.
 */
export function nearestCentroid(centroids: readonly Float32Array[], v: ArrayLike<number>): number {
  const s = scores(centroids, v);
  let best = 0;
  for (let i = 1; i < s.length; i++) if ((s[i] as number) > (s[best] as number)) best = i;
  return best;
}

/** Every centroid's index, largest dot product with `query` first (lower index on a tie). */
export function probeOrder(centroids: readonly Float32Array[], query: ArrayLike<number>): number[] {
  const s = scores(centroids, query);
  return Array.from(s.keys()).sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
}
