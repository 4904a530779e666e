/** Indices of the `k` highest scores, skipping `exclude`; ties go to the lower index. */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (exclude?.has(i)) continue;
    const s = scores[i] as number;
    if (best.length === k && s <= (scores[best[k - 1] as number] as number)) continue;
    let pos = best.length;
    while (pos > 0 && (scores[best[pos - 1] as number] as number) < s) pos--;
    best.splice(pos, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}
