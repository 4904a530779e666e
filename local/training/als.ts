import { gaussian, seededRandom } from '../../shared/random';
import { type Csr, transpose } from './interactions';
import { choleskySolve, gram } from './linalg';
import { progressBar } from './progress';

export interface AlsOptions {
  /** Latent dimensions. @default 64 */
  readonly factors?: number;
  /** L2 regularisation. @default 0.1 */
  readonly regularization?: number;
  /** Confidence slope: c = 1 + alpha * value. @default 10 */
  readonly alpha?: number;
  /** @default 15 */
  readonly iterations?: number;
  /** @default 7 */
  readonly seed?: number;
  /** Draw a progress bar on stderr. @default false */
  readonly progress?: boolean;
}

/** Row-major factor matrices: `users` is rows x factors, `items` is cols x factors. */
export interface AlsModel {
  readonly factors: number;
  readonly users: Float64Array;
  readonly items: Float64Array;
}

/**
 * Implicit-feedback ALS (Hu, Koren and Volinsky 2008): every cell is a preference of 0 or 1, an
 * observed cell with confidence `1 + alpha * value`, solved one side at a time by exact
 * Cholesky on the k x k normal equations. The unobserved cells are folded into the shared
 * Gram matrix `Y^T Y`, so each row costs O(nnz_row * k^2 + k^3) rather than O(items * k^2).
 */
export function trainAls(m: Csr, opts: AlsOptions = {}): AlsModel {
  const k = opts.factors ?? 64;
  const reg = opts.regularization ?? 0.1;
  const alpha = opts.alpha ?? 10;
  const iterations = opts.iterations ?? 15;
  const rand = seededRandom(opts.seed ?? 7);
  const init = (n: number) => Float64Array.from({ length: n * k }, () => gaussian(rand) * 0.01);
  const users = init(m.rows);
  const items = init(m.cols);
  const t = transpose(m);
  const bar = progressBar('ALS', iterations, { enabled: opts.progress ?? false });
  for (let it = 0; it < iterations; it++) {
    solveSide(m, items, users, k, reg, alpha);
    solveSide(t, users, items, k, reg, alpha);
    bar.tick(it + 1);
  }
  if (opts.progress) bar.finish(`k=${k} reg=${reg} alpha=${alpha}`);
  return { factors: k, users, items };
}

/** Recomputes every row of `out` given the fixed factors `fixed` of the other side. */
function solveSide(m: Csr, fixed: Float64Array, out: Float64Array, k: number, reg: number, alpha: number) {
  const g = gram(fixed, m.cols, k, reg);
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let r = 0; r < m.rows; r++) {
    a.set(g);
    b.fill(0);
    for (let p = m.ptr[r] as number; p < (m.ptr[r + 1] as number); p++) {
      const o = (m.idx[p] as number) * k;
      const c = 1 + alpha * (m.val[p] as number);
      for (let i = 0; i < k; i++) {
        const yi = fixed[o + i] as number;
        b[i] = (b[i] as number) + c * yi;
        const s = (c - 1) * yi;
        for (let j = 0; j <= i; j++) a[i * k + j] = (a[i * k + j] as number) + s * (fixed[o + j] as number);
      }
    }
    // choleskySolve reads only the lower triangle, so the upper one is left stale.
    choleskySolve(a, b, k);
    out.set(b, r * k);
  }
}

/** Dot product of row `r` of `f` with `v`. */
export function rowDot(f: Float64Array, r: number, v: ArrayLike<number>, k: number): number {
  let s = 0;
  const o = r * k;
  for (let i = 0; i < k; i++) s += (f[o + i] as number) * (v[i] as number);
  return s;
}
