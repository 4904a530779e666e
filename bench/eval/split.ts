import type { Interaction } from '../../local/training/interactions';

/** The top-N protocol's split of one dataset. */
export interface Split {
  readonly train: Interaction[];
  /** Held-out interactions per user, in time order (all ratings, positive or not). */
  readonly test: Map<string, Interaction[]>;
  /** Test positives (rating >= threshold) per evaluated user; users without one are absent. */
  readonly positives: Map<string, Set<string>>;
}

/**
 * Per user: sort by time (ties by item id, so the split is reproducible), the first
 * floor(80%) interactions train, the rest test; test positives are ratings >= `minRating`.
 */
export function temporalSplit(
  interactions: readonly Interaction[],
  opts: { trainFraction?: number; minRating?: number } = {},
): Split {
  const frac = opts.trainFraction ?? 0.8;
  const minRating = opts.minRating ?? 4;
  const byUser = new Map<string, Interaction[]>();
  for (const x of interactions) {
    const list = byUser.get(x.user);
    if (list) list.push(x);
    else byUser.set(x.user, [x]);
  }
  const train: Interaction[] = [];
  const test = new Map<string, Interaction[]>();
  const positives = new Map<string, Set<string>>();
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.at - b.at || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    const cut = Math.floor(list.length * frac);
    train.push(...list.slice(0, cut));
    const held = list.slice(cut);
    test.set(user, held);
    const pos = new Set(held.filter((x) => x.value >= minRating).map((x) => x.item));
    if (pos.size > 0) positives.set(user, pos);
  }
  return { train, test, positives };
}
