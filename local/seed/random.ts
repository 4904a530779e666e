/** Scales a vector to unit length (a zero vector stays zero). */
export function normalize(v: number[]): number[] {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}
