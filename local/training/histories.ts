import { addInteraction, interactionWeight, type TasteState } from '../../shared/embedding/fold-in';
import type { IdMap, Interaction } from './interactions';

/** One user's interaction with a dense item index. */
export interface HistoryEntry {
  readonly item: number;
  readonly at: number;
  readonly value: number;
}

/** Per-user histories in time order, keyed by user id; unknown items are skipped. */
export function userHistories(
  interactions: readonly Interaction[],
  items: IdMap,
): Map<string, HistoryEntry[]> {
  const out = new Map<string, HistoryEntry[]>();
  for (const x of interactions) {
    const item = items.get(x.item);
    if (item === undefined) continue;
    const list = out.get(x.user) ?? [];
    list.push({ item, at: x.at, value: x.value });
    out.set(x.user, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}

/** How a history entry weighs in the fold-in: the shared rating weight (stars − 3). */
export function entryWeight(e: HistoryEntry): number {
  return interactionWeight('rating', { rating: e.value });
}

/**
 * A user's taste from their history with the shared `addInteraction` (the stream handler's
 * function), over item vectors stored row-major with `k` dimensions.
 */
export function foldHistory(
  history: readonly HistoryEntry[],
  vectors: Float64Array | Float32Array,
  k: number,
  state?: TasteState,
  weight: (e: HistoryEntry) => number = entryWeight,
): TasteState | undefined {
  let s = state;
  for (const e of history)
    s = addInteraction(s, vectors.subarray(e.item * k, e.item * k + k), weight(e), e.at);
  return s;
}

/** Item indices most recent first, without repeats, as the stream handler keeps `recent_items`. */
export function recentFirst(history: readonly HistoryEntry[], limit = 50): number[] {
  const out: number[] = [];
  for (let i = history.length - 1; i >= 0 && out.length < limit; i--) {
    const item = (history[i] as HistoryEntry).item;
    if (!out.includes(item)) out.push(item);
  }
  return out;
}
