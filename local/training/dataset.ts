import { buildCsr, type Csr, IdMap, type Interaction } from './interactions';

/** Training interactions indexed for the learners: dense ids, a user x item matrix, item counts. */
export interface TrainingSet {
  readonly users: IdMap;
  readonly items: IdMap;
  /** user x item; values are the confidences given by `weight`. */
  readonly matrix: Csr;
  /** Distinct training users per item. */
  readonly itemUsers: Int32Array;
  /** Latest interaction time per user (epoch ms). */
  readonly lastAt: Float64Array;
}

export interface IndexOptions {
  /** Items to include even without training interactions (the full catalogue). */
  readonly catalog?: readonly string[];
  /**
   * Confidence of one interaction; by default 1 for any interaction. `recency` multiplies it by
   * 0.5^(age / halfLife) where age is measured from the user's last training interaction.
   */
  readonly weight?: (x: Interaction) => number;
  /** Half-life of the per-user recency weight in ms; unset means no recency weighting. */
  readonly recencyHalfLifeMs?: number;
}

/** Indexes interactions for training. */
export function indexInteractions(train: readonly Interaction[], opts: IndexOptions = {}): TrainingSet {
  const users = new IdMap();
  const items = new IdMap();
  for (const x of train) {
    users.add(x.user);
    items.add(x.item);
  }
  for (const id of opts.catalog ?? []) items.add(id);
  const lastAt = new Float64Array(users.size).fill(Number.NEGATIVE_INFINITY);
  for (const x of train) {
    const u = users.get(x.user) as number;
    lastAt[u] = Math.max(lastAt[u] as number, x.at);
  }
  const weight = opts.weight ?? (() => 1);
  const half = opts.recencyHalfLifeMs;
  const triples = train.map((x) => {
    const r = users.get(x.user) as number;
    const decay = half ? 0.5 ** (((lastAt[r] as number) - x.at) / half) : 1;
    return { r, c: items.get(x.item) as number, v: weight(x) * decay };
  });
  const matrix = buildCsr(users.size, items.size, triples);
  const itemUsers = new Int32Array(items.size);
  for (let k = 0; k < matrix.idx.length; k++) {
    const c = matrix.idx[k] as number;
    itemUsers[c] = (itemUsers[c] as number) + 1;
  }
  return { users, items, matrix, itemUsers, lastAt };
}
