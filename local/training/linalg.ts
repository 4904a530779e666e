/**
 * Solves `A x = b` in place for a symmetric positive-definite `n x n` matrix (row-major) by
 * Cholesky: A is overwritten with its lower factor L, b with x. Tiny pivots are clamped so a
 * nearly singular system (an item nobody touched) still gives a finite answer.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2;
    const ljj = Math.sqrt(Math.max(d, 1e-12));
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = s / ljj;
    }
  }
  forwardSubstitute(a, b, n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (b[k] as number);
    b[i] = s / (a[i * n + i] as number);
  }
}

/** Solves `L y = b` in place for a lower-triangular row-major `L`. */
export function forwardSubstitute(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (b[k] as number);
    b[i] = s / (l[i * n + i] as number);
  }
}

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix; the input is kept. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (l[j * n + k] as number) ** 2;
    const ljj = Math.sqrt(Math.max(d, 1e-12));
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

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
