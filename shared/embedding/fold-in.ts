import type { EventType } from '../schemas/event';

/**
 * How much one interaction moves a user's taste toward (positive) or away from (negative) the
 * item. Purchase > add_to_cart > click > view; skip and hide push away.
 */
export const EVENT_WEIGHTS: Readonly<Record<EventType, number>> = {
  purchase: 4,
  add_to_cart: 2.5,
  share: 2,
  click: 1.5,
  rating: 0, // from the rating value, see interactionWeight
  dwell: 0, // from the dwell time, see interactionWeight
  view: 0.5,
  impression: 0,
  skip: -0.5,
  hide: -2,
  campaign_view: 0,
  campaign_click: 0,
  notification_open: 0,
};

/** The weight of one interaction; ratings centre on 3 stars, dwell grows with time up to a cap. */
export function interactionWeight(
  type: EventType,
  extras: { rating?: number; dwellMs?: number } = {},
): number {
  if (type === 'rating') return extras.rating === undefined ? 0 : (extras.rating - 3) * 1.0;
  if (type === 'dwell') return Math.min(1.5, (extras.dwellMs ?? 0) / 20_000);
  return EVENT_WEIGHTS[type];
}

/** The factor an older signal keeps after `ageMs`, halving every `halfLifeMs`. */
export function decayFactor(ageMs: number, halfLifeMs: number): number {
  return ageMs <= 0 ? 1 : 0.5 ** (ageMs / halfLifeMs);
}

/**
 * A user's taste as an unnormalised, time-decayed sum of item vectors: the state the stream
 * handler stores. The embedding is its direction. Keeping the sum (not the unit vector) is what
 * makes one event move the embedding by its weight relative to all history so far.
 */
export interface TasteState {
  readonly sum: readonly number[];
  /** Epoch ms the sum was last decayed to. */
  readonly at: number;
}

export interface FoldInOptions {
  /** Half-life of a signal. @default 14 days */
  readonly halfLifeMs?: number;
}

const DEFAULT_HALF_LIFE_MS = 14 * 24 * 3600 * 1000;

/**
 * Adds one interaction at time `at` to the taste: decays the stored sum to `at`, then adds
 * `weight * itemVector`. An interaction older than the state is decayed instead, so replays
 * in any order reach the same sum.
 */
export function addInteraction(
  state: TasteState | undefined,
  itemVector: ArrayLike<number>,
  weight: number,
  at: number,
  opts: FoldInOptions = {},
): TasteState {
  const half = opts.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const dims = itemVector.length;
  if (!state || state.sum.length === 0) {
    return { sum: Array.from({ length: dims }, (_, i) => weight * (itemVector[i] as number)), at };
  }
  if (state.sum.length !== dims)
    throw new Error(`taste has ${state.sum.length} dimensions, item has ${dims}`);
  if (at >= state.at) {
    const keep = decayFactor(at - state.at, half);
    return { sum: state.sum.map((s, i) => s * keep + weight * (itemVector[i] as number)), at };
  }
  const w = weight * decayFactor(state.at - at, half);
  return { sum: state.sum.map((s, i) => s + w * (itemVector[i] as number)), at: state.at };
}

/** Folds a whole history in: the same result as adding each interaction in turn. */
export function foldIn(
  history: readonly { itemVector: ArrayLike<number>; weight: number; at: number }[],
  opts: FoldInOptions = {},
): TasteState | undefined {
  let state: TasteState | undefined;
  for (const h of history) state = addInteraction(state, h.itemVector, h.weight, h.at, opts);
  return state;
}

/** The unit-length embedding of a taste (zero vector when there is no signal yet). */
export function tasteEmbedding(state: TasteState | undefined): number[] {
  if (!state) return [];
  const norm = Math.hypot(...state.sum);
  return norm === 0 ? state.sum.map(() => 0) : state.sum.map((x) => x / norm);
}
