import { seededRandom } from '../../../shared/random';

export interface SphericalKMeansOptions {
  /** Clusters wanted; fewer come back when fewer distinct directions exist. */
  readonly k: number;
  /** Lloyd rounds at most; stops earlier once no vector changes cluster. @default 25 */
  readonly iterations?: number;
  /** Vectors clustered at most (a seeded sample of the input beyond that). @default 65536 */
  readonly sample?: number;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * Spherical k-means (cosine k-means): clusters the input's directions, k-means++ seeding, Lloyd
 * rounds that assign each unit vector to the centroid of largest dot product and move every
 * centroid to its members' normalized mean. Returns the unit centroids of the non-empty
 * clusters. Zero vectors have no direction and are left out. Deterministic for a seed.
 */
export function sphericalKMeans(
  vectors: readonly ArrayLike<number>[],
  dims: number,
  opts: SphericalKMeansOptions,
): Float32Array[] {
  const rand = seededRandom(opts.seed ?? 1);
  const points = unitSample(vectors, dims, opts.sample ?? 65_536, rand);
  const n = points.length / dims;
  if (n === 0 || opts.k < 1) return [];
  const centroids = seedPlusPlus(points, dims, Math.min(opts.k, n), rand);
  const k = centroids.length / dims;
  const member = new Int32Array(n).fill(-1);
  for (let round = 0; round < (opts.iterations ?? 25); round++) {
    let moved = 0;
    for (let p = 0; p < n; p++) {
      const c = nearest(centroids, k, dims, points, p * dims);
      if (c !== member[p]) moved++;
      member[p] = c;
    }
    if (moved === 0) break;
    const sums = new Float64Array(k * dims);
    for (let p = 0; p < n; p++)
      for (let d = 0, o = (member[p] as number) * dims; d < dims; d++)
        sums[o + d] = (sums[o + d] as number) + (points[p * dims + d] as number);
    for (let c = 0; c < k; c++) {
      const norm = Math.hypot(...sums.subarray(c * dims, (c + 1) * dims));
      // An empty cluster keeps its centroid for the next round; it is dropped at the end if still empty.
      if (norm > 0)
        for (let d = 0; d < dims; d++) centroids[c * dims + d] = (sums[c * dims + d] as number) / norm;
    }
  }
  const used = new Set(member);
  return Array.from({ length: k }, (_, c) => c)
    .filter((c) => used.has(c))
    .map((c) => centroids.slice(c * dims, (c + 1) * dims));
}

/** Index of the centroid (rows of a flat `k x dims` matrix) with the largest dot product. */
function nearest(centroids: Float32Array, k: number, dims: number, v: ArrayLike<number>, at: number): number {
  let best = 0;
  let bestDot = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += (centroids[c * dims + d] as number) * (v[at + d] as number);
    if (dot > bestDot) {
      bestDot = dot;
      best = c;
    }
  }
  return best;
}

/** Up to `max` of the non-zero vectors, scaled to unit length, as one flat matrix. */
function unitSample(
  vectors: readonly ArrayLike<number>[],
  dims: number,
  max: number,
  rand: () => number,
): Float32Array {
  let rows = vectors.map((_, i) => i);
  if (rows.length > max) {
    // Partial Fisher-Yates: the first `max` rows are a uniform sample, kept in input order.
    for (let i = 0; i < max; i++) {
      const j = i + Math.floor(rand() * (rows.length - i));
      [rows[i], rows[j]] = [rows[j] as number, rows[i] as number];
    }
    rows = rows.slice(0, max).sort((a, b) => a - b);
  }
  const out = new Float32Array(rows.length * dims);
  let n = 0;
  for (const r of rows) {
    const v = vectors[r] as ArrayLike<number>;
    let sq = 0;
    for (let d = 0; d < dims; d++) sq += (v[d] as number) ** 2;
    if (sq === 0 || !Number.isFinite(sq)) continue;
    const inv = 1 / Math.sqrt(sq);
    for (let d = 0; d < dims; d++) out[n * dims + d] = (v[d] as number) * inv;
    n++;
  }
  return out.subarray(0, n * dims);
}

/**
 * k-means++ seeding: each next centroid is a point drawn with probability proportional to its
 * squared distance (2 - 2 dot for unit vectors) from the nearest centroid chosen so far. Stops
 * early when every point already coincides with a centroid.
 */
function seedPlusPlus(points: Float32Array, dims: number, k: number, rand: () => number): Float32Array {
  const n = points.length / dims;
  const out = new Float32Array(k * dims);
  const first = Math.floor(rand() * n);
  out.set(points.subarray(first * dims, (first + 1) * dims), 0);
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let chosen = 1;
  for (; chosen < k; chosen++) {
    let total = 0;
    for (let p = 0; p < n; p++) {
      let dot = 0;
      for (let d = 0; d < dims; d++)
        dot += (points[p * dims + d] as number) * (out[(chosen - 1) * dims + d] as number);
      dist[p] = Math.min(dist[p] as number, Math.max(0, 2 - 2 * dot));
      total += dist[p] as number;
    }
    if (total <= 1e-12) break;
    let r = rand() * total;
    let pick = n - 1;
    for (let p = 0; p < n; p++) {
      r -= dist[p] as number;
      if (r <= 0) {
        pick = p;
        break;
      }
    }
    out.set(points.subarray(pick * dims, (pick + 1) * dims), chosen * dims);
  }
  return out.slice(0, chosen * dims);
}
