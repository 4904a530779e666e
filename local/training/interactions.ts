/** One observed interaction: a user, an item, a strength and when it happened. */
export interface Interaction {
  readonly user: string;
  readonly item: string;
  /** Explicit rating, or an implicit strength (event weight) for non-rating logs. */
  readonly value: number;
  /** Epoch milliseconds. */
  readonly at: number;
}

/**
 * A sparse user x item matrix in compressed rows, with dense integer ids. `cols` and `vals`
 * hold each row's item indices and confidences back to back; row `r` spans `ptr[r]..ptr[r+1]`.
 */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** Dense ids for users and items, in first-seen order. */
export class IdMap {
  readonly ids: string[] = [];
  readonly #index = new Map<string, number>();
  /** The index of `id`, adding it when new. */
  add(id: string): number {
    let i = this.#index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.#index.set(id, i);
    }
    return i;
  }
  /** The index of `id`, or undefined when it was never added. */
  get(id: string): number | undefined {
    return this.#index.get(id);
  }
  /** How many ids are mapped. */
  get size(): number {
    return this.ids.length;
  }
}

/** Builds a CSR from (row, col, value) triples; duplicate cells are summed. */
export function buildCsr(
  rows: number,
  cols: number,
  triples: readonly { r: number; c: number; v: number }[],
): Csr {
  const cells = new Map<number, number>();
  for (const { r, c, v } of triples) {
    const key = r * cols + c;
    cells.set(key, (cells.get(key) ?? 0) + v);
  }
  const keys = [...cells.keys()].sort((a, b) => a - b);
  const ptr = new Int32Array(rows + 1);
  const idx = new Int32Array(keys.length);
  const val = new Float64Array(keys.length);
  keys.forEach((key, k) => {
    const r = Math.floor(key / cols);
    ptr[r + 1] = (ptr[r + 1] as number) + 1;
    idx[k] = key - r * cols;
    val[k] = cells.get(key) as number;
  });
  for (let r = 0; r < rows; r++) ptr[r + 1] = (ptr[r + 1] as number) + (ptr[r] as number);
  return { rows, cols, ptr, idx, val };
}

/** The transpose (item x user) of a CSR. */
export function transpose(m: Csr): Csr {
  const triples: { r: number; c: number; v: number }[] = [];
  for (let r = 0; r < m.rows; r++)
    for (let k = m.ptr[r] as number; k < (m.ptr[r + 1] as number); k++)
      triples.push({ r: m.idx[k] as number, c: r, v: m.val[k] as number });
  return buildCsr(m.cols, m.rows, triples);
}
