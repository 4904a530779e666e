/** Binary-relevance NDCG@k; the ideal DCG assumes min(k, |relevant|) hits at the top. */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Hits in the top k over min(k, |relevant|). */
export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  const denom = Math.min(k, relevant.size);
  return denom === 0 ? 0 : hits(ranked, relevant, k) / denom;
}

/** 1 when any relevant item is in the top k. */
export function hitRateAt(ranked: readonly string[], relevant: ReadonlySet<string>, k = 10): number {
  return hits(ranked, relevant, k) > 0 ? 1 : 0;
}

function hits(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length;
}

/** Share of the catalogue that appears in at least one user's list. */
export function coverage(lists: readonly (readonly string[])[], catalogSize: number): number {
  const seen = new Set<string>();
  for (const l of lists) for (const id of l) seen.add(id);
  return catalogSize === 0 ? 0 : seen.size / catalogSize;
}

/**
 * Mean self-information of recommended items, -log2(share of training users who interacted
 * with the item): higher means less obvious recommendations. Unseen items count as one user.
 */
export function novelty(
  lists: readonly (readonly string[])[],
  itemUsers: ReadonlyMap<string, number>,
  userCount: number,
): number {
  let sum = 0;
  let n = 0;
  for (const l of lists)
    for (const id of l) {
      sum += -Math.log2(Math.max(1, itemUsers.get(id) ?? 0) / userCount);
      n++;
    }
  return n === 0 ? 0 : sum / n;
}

/** Mean of a list (0 when empty). */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
