import { type Csr, transpose } from './interactions';
import { progressBar } from './progress';

/** An EASE model over a subset of items: `B` is `n x n` row-major over `items` (dense indices). */
export interface EaseModel {
  readonly items: Int32Array;
  readonly b: Float64Array;
}

/**
 * EASE (Steck 2019): the item-item weights B = I - P diag(1/diag P) with P = (X^T X + λI)^-1,
 * zero diagonal. Only items with at least `minUsers` training users take part: the rest cannot
 * be learned from and would grow the n^2 matrix and the n^3 inverse.
 */
export function trainEase(
  m: Csr,
  opts: { lambda?: number; minUsers?: number; progress?: boolean } = {},
): EaseModel {
  const lambda = opts.lambda ?? 300;
  const t = transpose(m);
  const keep: number[] = [];
  for (let i = 0; i < m.cols; i++)
    if ((t.ptr[i + 1] as number) - (t.ptr[i] as number) >= (opts.minUsers ?? 2)) keep.push(i);
  const n = keep.length;
  const local = new Int32Array(m.cols).fill(-1);
  keep.forEach((i, l) => {
    local[i] = l;
  });
  const g = new Float64Array(n * n);
  for (let u = 0; u < m.rows; u++) {
    const row: number[] = [];
    const w: number[] = [];
    for (let p = m.ptr[u] as number; p < (m.ptr[u + 1] as number); p++) {
      const l = local[m.idx[p] as number] as number;
      if (l >= 0) {
        row.push(l);
        w.push(m.val[p] as number);
      }
    }
    for (let a = 0; a < row.length; a++)
      for (let c = 0; c < row.length; c++) {
        const o = (row[a] as number) * n + (row[c] as number);
        g[o] = (g[o] as number) + (w[a] as number) * (w[c] as number);
      }
  }
  for (let i = 0; i < n; i++) g[i * n + i] = (g[i * n + i] as number) + lambda;
  invertSpdInPlace(g, n, opts.progress ?? false);
  const b = g;
  for (let j = 0; j < n; j++) {
    const d = b[j * n + j] as number;
    for (let i = 0; i < n; i++) b[i * n + j] = -(b[i * n + j] as number) / d;
    b[j * n + j] = 0;
  }
  return { items: Int32Array.from(keep), b };
}

/**
 * In-place Gauss-Jordan inverse of a symmetric positive-definite matrix; no pivoting is needed
 * because every pivot of an SPD matrix is positive.
 */
export function invertSpdInPlace(a: Float64Array, n: number, progress = false): void {
  const bar = progressBar('EASE inverse', n, { enabled: progress });
  const rowK = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const pivot = a[k * n + k] as number;
    const inv = 1 / pivot;
    const ko = k * n;
    for (let j = 0; j < n; j++) a[ko + j] = (a[ko + j] as number) * inv;
    a[ko + k] = inv;
    rowK.set(a.subarray(ko, ko + n));
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const io = i * n;
      const f = a[io + k] as number;
      if (f === 0) continue;
      a[io + k] = 0;
      for (let j = 0; j < n; j++) a[io + j] = (a[io + j] as number) - f * (rowK[j] as number);
    }
    bar.tick(k + 1);
  }
  if (progress) bar.finish();
}

/** EASE scores for a weighted history (dense item index -> weight) over the full catalogue. */
export function easeScores(model: EaseModel, history: ReadonlyMap<number, number>, out: Float64Array): void {
  out.fill(0);
  const n = model.items.length;
  const pos = new Map<number, number>();
  model.items.forEach((i, l) => {
    pos.set(i, l);
  });
  const acc = new Float64Array(n);
  for (const [item, w] of history) {
    const l = pos.get(item);
    if (l === undefined) continue;
    const o = l * n;
    for (let j = 0; j < n; j++) acc[j] = (acc[j] as number) + w * (model.b[o + j] as number);
  }
  for (let l = 0; l < n; l++) out[model.items[l] as number] = acc[l] as number;
}
