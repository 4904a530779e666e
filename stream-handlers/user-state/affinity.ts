import { decayFactor } from '../../shared/embedding/fold-in';
import type { Affinities } from './profile';

export interface AffinityOptions {
  /** Half-life of a signal. @default 14 days */
  readonly halfLifeMs?: number;
  /** Categories kept in the affinity map: the strongest. @default 24 */
  readonly maxCategories?: number;
}

const DEFAULT_HALF_LIFE_MS = 14 * 24 * 3600 * 1000;

type Scores = Record<string, number>;

/**
 * Adds `weight` for `category` at time `at` to the decayed per-category scores, then keeps the
 * `maxCategories` strongest. Updates `current` itself when `mutable` holds it (an object an earlier
 * event of the same fold made), otherwise returns a new object and leaves `current` alone.
 */
export function addAffinity(
  current: Affinities | undefined,
  category: string,
  weight: number,
  at: number,
  opts: AffinityOptions,
  mutable: WeakSet<object>,
): Affinities {
  const half = opts.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const max = opts.maxCategories ?? 24;
  const reuse = current !== undefined && mutable.has(current);
  const scores: Scores = reuse ? (current.scores as Scores) : { ...current?.scores };
  let stamp = current?.at ?? at;
  let w = weight;
  // Same rule as the taste: a newer event decays what is stored, an older one is decayed itself.
  if (at >= stamp) {
    const keep = decayFactor(at - stamp, half);
    for (const k in scores) scores[k] = (scores[k] as number) * keep;
    stamp = at;
  } else w = weight * decayFactor(stamp - at, half);
  scores[category] = (scores[category] ?? 0) + w;
  // Only a map past its bound is sorted, to drop the weakest: a stored map keeps no order anyway.
  if (countKeys(scores, max + 1) > max) {
    const kept = Object.entries(scores)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, max);
    return own({ scores: Object.fromEntries(kept), at: stamp }, mutable);
  }
  if (reuse) {
    (current as { at: number }).at = stamp;
    return current;
  }
  return own({ scores, at: stamp }, mutable);
}

function own<T extends object>(x: T, mutable: WeakSet<object>): T {
  mutable.add(x);
  return x;
}

/** Enumerable keys of `o`, counted no further than `limit`. */
function countKeys(o: object, limit: number): number {
  let n = 0;
  for (const _ in o) if (++n >= limit) break;
  return n;
}
