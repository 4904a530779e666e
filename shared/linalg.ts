/**
 * Dense Cholesky routines over row-major Float64Array matrices, shared by ALS training and the
 * linear Thompson-sampling bandit. Tiny pivots are clamped so a nearly singular system (an item
 * nobody touched, an arm never played) still gives a finite answer.
 */

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix; the input is kept. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = Float64Array.from(a);
  factorInPlace(l, n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
  return l;
}

/** Solves `A x = b` in place: A is overwritten with its lower factor L, b with x. */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): void {
  factorInPlace(a, n);
  forwardSubstitute(a, b, n);
  backSubstitute(a, b, n);
}

/** Solves `L y = b` in place for a lower-triangular row-major `L`. */
export function forwardSubstitute(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (b[k] as number);
    b[i] = s / (l[i * n + i] as number);
  }
}

/** Solves `Lᵀ x = y` in place for a lower-triangular row-major `L`. */
export function backSubstitute(l: Float64Array, y: Float64Array, n: number): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (y[k] as number);
    y[i] = s / (l[i * n + i] as number);
  }
}

// Reads only the lower triangle; the upper one is left as it was.
function factorInPlace(a: Float64Array, n: number): void {
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
}
