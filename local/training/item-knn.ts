import { type Csr, transpose } from './interactions';

/** Sparse top-neighbour lists: item i's neighbours are `idx[ptr[i]..ptr[i+1]]` with `sim`. */
export interface ItemNeighbours {
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly sim: Float64Array;
}

/**
 * Cosine item-item similarity over binary user vectors, keeping each item's `topK` neighbours.
 * Co-occurrences are counted through the users, so the cost is sum over users of |items|^2.
 */
export function cosineNeighbours(m: Csr, topK = 200): ItemNeighbours {
  const t = transpose(m);
  const norm = new Float64Array(m.cols);
  for (let i = 0; i < m.cols; i++) norm[i] = Math.sqrt((t.ptr[i + 1] as number) - (t.ptr[i] as number));
  const co = new Float64Array(m.cols);
  const touched: number[] = [];
  const ptr = new Int32Array(m.cols + 1);
  const idx: number[] = [];
  const sim: number[] = [];
  for (let i = 0; i < m.cols; i++) {
    for (let p = t.ptr[i] as number; p < (t.ptr[i + 1] as number); p++) {
      const u = t.idx[p] as number;
      for (let q = m.ptr[u] as number; q < (m.ptr[u + 1] as number); q++) {
        const j = m.idx[q] as number;
        if (j === i) continue;
        if (co[j] === 0) touched.push(j);
        co[j] = (co[j] as number) + 1;
      }
    }
    const scored = touched.map((j) => ({
      j,
      s: (co[j] as number) / ((norm[i] as number) * (norm[j] as number)),
    }));
    scored.sort((a, b) => b.s - a.s);
    for (const { j, s } of scored.slice(0, topK)) {
      idx.push(j);
      sim.push(s);
    }
    ptr[i + 1] = idx.length;
    for (const j of touched) co[j] = 0;
    touched.length = 0;
  }
  return { ptr, idx: Int32Array.from(idx), sim: Float64Array.from(sim) };
}

/** Item-kNN scores for a history: sum over history items of their neighbours' similarities. */
export function knnScores(nb: ItemNeighbours, history: ArrayLike<number>, out: Float64Array): void {
  out.fill(0);
  for (let h = 0; h < history.length; h++) {
    const i = history[h] as number;
    for (let p = nb.ptr[i] as number; p < (nb.ptr[i + 1] as number); p++) {
      const j = nb.idx[p] as number;
      out[j] = (out[j] as number) + (nb.sim[p] as number);
    }
  }
}
