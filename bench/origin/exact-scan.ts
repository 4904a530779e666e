/**
 * Brute-force cosine top-k over a flat row-major matrix: the ground truth for recall at catalog
 * sizes where ExactVectorIndex (one object and one sort of every hit per query) is too slow.
 * It ranks exactly as ExactVectorIndex does: score descending, ties by lower row (= lower id).
 */
export class FlatExactScan {
  private readonly norms: Float64Array;
  readonly rows: number;

  constructor(
    private readonly matrix: Float32Array,
    private readonly dimensions: number,
  ) {
    this.rows = Math.floor(matrix.length / dimensions);
    this.norms = new Float64Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      let s = 0;
      for (let d = 0, o = r * dimensions; d < dimensions; d++, o++) s += (matrix[o] as number) ** 2;
      this.norms[r] = Math.sqrt(s);
    }
  }

  /** Row indices of the k rows most cosine-similar to `query`, best first. */
  topK(query: ArrayLike<number>, k: number): number[] {
    const dims = this.dimensions;
    let qn = 0;
    for (let d = 0; d < dims; d++) qn += (query[d] as number) ** 2;
    qn = Math.sqrt(qn);
    // A min-heap of the best k so far: the root is the weakest kept hit.
    const size = Math.min(k, this.rows);
    const hs = new Float64Array(size);
    const hr = new Int32Array(size);
    let n = 0;
    const worse = (i: number, j: number) =>
      (hs[i] as number) < (hs[j] as number) || (hs[i] === hs[j] && (hr[i] as number) > (hr[j] as number));
    const swap = (i: number, j: number) => {
      const s = hs[i] as number;
      hs[i] = hs[j] as number;
      hs[j] = s;
      const r = hr[i] as number;
      hr[i] = hr[j] as number;
      hr[j] = r;
    };
    const siftDown = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const rr = l + 1;
        let m = i;
        if (l < n && worse(l, m)) m = l;
        if (rr < n && worse(rr, m)) m = rr;
        if (m === i) return;
        swap(i, m);
        i = m;
      }
    };
    for (let r = 0; r < this.rows; r++) {
      let dot = 0;
      for (let d = 0, o = r * dims; d < dims; d++, o++)
        dot += (query[d] as number) * (this.matrix[o] as number);
      const norm = (this.norms[r] as number) * qn;
      const score = norm === 0 ? 0 : dot / norm;
      if (n < size) {
        hs[n] = score;
        hr[n] = r;
        n++;
        for (let i = n - 1; i > 0; ) {
          const p = (i - 1) >> 1;
          if (!worse(i, p)) break;
          swap(i, p);
          i = p;
        }
      } else if (score > (hs[0] as number)) {
        hs[0] = score;
        hr[0] = r;
        siftDown(0);
      }
    }
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (hs[b] as number) - (hs[a] as number) || (hr[a] as number) - (hr[b] as number));
    return order.map((i) => hr[i] as number);
  }
}
