import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addInteraction,
  decayFactor,
  foldIn,
  interactionWeight,
  tasteEmbedding,
} from '../../../shared/embedding/fold-in';
import { cosine } from '../../../shared/vector-math';

const DAY = 86_400_000;

describe('taste fold-in', () => {
  it('weights purchase over add_to_cart over click over view, and negatives push away', () => {
    const w = (t: Parameters<typeof interactionWeight>[0]) => interactionWeight(t);
    expect(w('purchase')).toBeGreaterThan(w('add_to_cart'));
    expect(w('add_to_cart')).toBeGreaterThan(w('click'));
    expect(w('click')).toBeGreaterThan(w('view'));
    expect(w('hide')).toBeLessThan(w('skip'));
    expect(w('skip')).toBeLessThan(0);
    expect(interactionWeight('rating', { rating: 5 })).toBe(2);
    expect(interactionWeight('rating', { rating: 1 })).toBe(-2);
    expect(interactionWeight('dwell', { dwellMs: 10_000 })).toBe(0.5);
  });

  it('decays by half every half-life', () => {
    expect(decayFactor(0, 7 * DAY)).toBe(1);
    expect(decayFactor(7 * DAY, 7 * DAY)).toBe(0.5);
    expect(decayFactor(14 * DAY, 7 * DAY)).toBe(0.25);
  });

  it('computes exact sums with decay', () => {
    const s1 = addInteraction(undefined, [1, 0], 2, 0, { halfLifeMs: DAY });
    const s2 = addInteraction(s1, [0, 1], 1, DAY, { halfLifeMs: DAY });
    expect(s2).toEqual({ sum: [1, 1], at: DAY });
    const [x, y] = tasteEmbedding(s2);
    expect(x).toBeCloseTo(Math.SQRT1_2, 12);
    expect(y).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('moves within one event: a click toward an item raises similarity to it', () => {
    const s = foldIn([{ itemVector: [1, 0, 0], weight: 1.5, at: 0 }]);
    const after = addInteraction(s, [0, 1, 0], 1.5, 1000);
    expect(cosine(tasteEmbedding(after), [0, 1, 0])).toBeGreaterThan(cosine(tasteEmbedding(s), [0, 1, 0]));
  });

  it('a hide moves the taste away from the item', () => {
    const s = foldIn([
      { itemVector: [1, 0], weight: 1, at: 0 },
      { itemVector: [0, 1], weight: 1, at: 0 },
    ]);
    const hidden = addInteraction(s, [0, 1], -2, 0);
    expect(cosine(tasteEmbedding(hidden), [0, 1])).toBeLessThan(cosine(tasteEmbedding(s), [0, 1]));
  });

  it('reaches the same taste whatever order the events arrive in', () => {
    const event = fc.record({
      itemVector: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
      weight: fc.double({ min: -2, max: 4, noNaN: true }),
      at: fc.integer({ min: 0, max: 30 * DAY }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), (events) => {
        const inOrder = foldIn([...events].sort((a, b) => a.at - b.at))!;
        const shuffled = foldIn([...events].reverse())!;
        expect(shuffled.at).toBe(inOrder.at);
        for (const [i, x] of shuffled.sum.entries()) expect(x).toBeCloseTo(inOrder.sum[i]!, 9);
      }),
    );
  });
});
