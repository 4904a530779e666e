import { describe, expect, it } from 'vitest';
import { emptySessionState, SESSION_MAX_ITEMS } from '../../edge-worker/src/session/state';
import { applyEvents, type ItemLookup } from '../../edge-worker/src/session/update';
import type { AttuneEvent } from '../../shared/schemas/event';
import { clickEvent } from './helpers/factories';

const ITEMS: Record<string, { category: string; vector: number[] }> = {
  red: { category: 'shoes', vector: [1, 0, 0] },
  blue: { category: 'shoes', vector: [0, 1, 0] },
  novel: { category: 'books', vector: [0, 0, 1] },
};
const lookup: ItemLookup = (id) => ITEMS[id];
const ev = (type: AttuneEvent['type'], item_id: string) => clickEvent({ type, item_id });

describe('applyEvents', () => {
  it('folds engagements into a decayed mean vector and category counts', () => {
    const state = applyEvents(
      emptySessionState(),
      [ev('click', 'red'), ev('dwell', 'blue'), ev('purchase', 'novel'), ev('share', 'red')],
      lookup,
      1234,
    );

    // [1,0,0] -> 0.7*[1,0,0] + 0.3*[0,1,0] -> 0.7*that + 0.3*[0,0,1]; `share` is not an engagement here.
    expect(state.vector.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0.49, 0.21, 0.3]);
    expect(state).toMatchObject({
      categories: { shoes: 2, books: 1 },
      seen: ['red', 'blue', 'novel'],
      hidden: [],
      updated_at: 1234,
    });
  });

  it('keeps each seen id once, newest last, and at most SESSION_MAX_ITEMS', () => {
    const impressions = Array.from({ length: SESSION_MAX_ITEMS + 5 }, (_, i) => ev('impression', `i${i}`));

    const state = applyEvents(emptySessionState(), [...impressions, ev('view', 'i10')], lookup, 1);

    expect(state.seen).toHaveLength(SESSION_MAX_ITEMS);
    expect(state.seen[0]).toBe('i5');
    expect(state.seen.at(-1)).toBe('i10');
    expect(state.seen.filter((id) => id === 'i10')).toHaveLength(1);
    // Unknown items are remembered as seen but cannot move the taste.
    expect(state.categories).toEqual({});
    expect(state.vector).toEqual([]);
  });

  it('hides without counting a hidden item as engagement', () => {
    const state = applyEvents(emptySessionState(), [ev('hide', 'red')], lookup, 1);

    expect(state).toMatchObject({ hidden: ['red'], seen: [], categories: {}, vector: [] });
  });
});
