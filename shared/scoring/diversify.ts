import type { Rescored } from './rescore';

export interface DiversityRules {
  /** At most this many items of one category in the first `window` positions. @default 3 */
  readonly maxPerCategory?: number;
  /** The window the cap applies to. @default 10 */
  readonly window?: number;
}

/**
 * Greedy re-ranking under a per-category cap: fills the first `window` positions in score order,
 * deferring an item whose category already fills its quota there; past the window every item,
 * deferred or not, follows in score order. Nothing is dropped and the list stays as long as it was.
 */
export function diversify(
  ranked: readonly Rescored[],
  limit: number,
  rules: DiversityRules = {},
): Rescored[] {
  const cap = rules.maxPerCategory ?? 3;
  const window = Math.min(rules.window ?? 10, limit);
  const head: Rescored[] = [];
  const taken = new Set<Rescored>();
  const counts = new Map<string, number>();
  for (const r of ranked) {
    if (head.length >= window) break;
    const cat = r.candidate.category;
    const n = counts.get(cat) ?? 0;
    if (n >= cap) continue;
    counts.set(cat, n + 1);
    head.push(r);
    taken.add(r);
  }
  // When too few categories exist to fill the window under the cap, the best deferred items fill it.
  return [...head, ...ranked.filter((r) => !taken.has(r))].slice(0, limit);
}
