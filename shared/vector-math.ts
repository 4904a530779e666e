/** Cosine similarity; 0 when either vector is empty or zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return cosineFromSums(dot, na, nb);
}

/** The cosine from a dot product and the two squared norms; 0 when either norm is 0 or not finite. */
export function cosineFromSums(dot: number, na: number, nb: number): number {
  // sqrt of each norm separately: na * nb underflows to 0 for tiny vectors and would give NaN.
  const denom = Math.sqrt(na) * Math.sqrt(nb);
  return denom === 0 || !Number.isFinite(denom) ? 0 : Math.max(-1, Math.min(1, dot / denom));
}

/** Element-wise mean of equal-length vectors; empty input gives an empty vector. */
export function meanVector(vectors: readonly ArrayLike<number>[]): number[] {
  const first = vectors[0];
  if (!first) return [];
  const out = new Array<number>(first.length).fill(0);
  for (const v of vectors)
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + ((v[i] as number) ?? 0);
  return out.map((x) => x / vectors.length);
}
