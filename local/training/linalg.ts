export { cholesky, choleskySolve, forwardSubstitute } from '../../shared/linalg';

/** Gram matrix `F^T F + reg I` of a row-major `rows x k` factor matrix. */
export function gram(f: Float64Array, rows: number, k: number, reg = 0): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let i = 0; i < k; i++) {
      const fi = f[o + i] as number;
      if (fi === 0) continue;
      for (let j = 0; j <= i; j++) g[i * k + j] = (g[i * k + j] as number) + fi * (f[o + j] as number);
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) g[j * k + i] = g[i * k + j] as number;
    g[i * k + i] = (g[i * k + i] as number) + reg;
  }
  return g;
}
