import type { Rescored } from './rescore';

export interface DiversityRules {
  /** At most this many items of one category in the first `window` positions. @default 3 */
  readonly maxPerCategory?: number;
  /** The window the cap applies to. @default 10 */
  readonly window?: number;
}

/**
 * Greedy re-ranking under a per-category cap: walks the list in score order and defers an item
 * whose category already fills its quota in the window. Deferred items keep their order and
 * fill the tail, so nothing is dropped and the list stays as long as it was.
 */
export function diversify(
  ranked: readonly Rescored[],
  limit: number,
  rules: DiversityRules = {},
): Rescored[] {
  const cap = rules.maxPerCategory ?? 3;
  const window = rules.window ?? 10;
  const picked: Rescored[] = [];
  const deferred: Rescored[] = [];
  const counts = new Map<string, number>();
  for (const r of ranked) {
    if (picked.length >= limit) break;
    const cat = r.candidate.category;
    const n = counts.get(cat) ?? 0;
    if (picked.length < window && n >= cap) {
      deferred.push(r);
      continue;
    }
    counts.set(cat, n + 1);
    picked.push(r);
  }
  for (const r of deferred) {
    if (picked.length >= limit) break;
    picked.push(r);
  }
  return picked;
}
