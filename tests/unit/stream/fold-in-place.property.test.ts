import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../shared/schemas/event';
import type { ItemFacts } from '../../../stream-handlers/common/item-lookup';
import { applyUserEvents } from '../../../stream-handlers/user-state/apply';
import { type FoldOptions, foldEvent, type ProfileParts } from '../../../stream-handlers/user-state/fold';
import { makeStreamEvent, seq } from '../../helpers/events';
import { referenceFoldEvent } from '../../helpers/reference-fold';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Few categories and sessions against small bounds, so the trims run; one item does not fit the taste.
const ITEMS: Record<string, ItemFacts> = {
  a: { category: 'books', embedding: [1, 0, 0] },
  b: { category: 'music', embedding: [0, 1, 0] },
  c: { category: 'games', embedding: [0, 0.5, 2] },
  d: { category: 'shoes', embedding: [-1, 1, 1] },
  e: { category: 'books', embedding: [2, 2, 0] },
  f: { category: 'home', embedding: [] },
  misfit: { category: 'music', embedding: [1, 1, 1, 1] },
};

// Hours apart, repeated and out of order; some with an offset, which orders differently as a string.
const stamp = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.boolean())
  .map(([h, offset]) =>
    offset
      ? new Date(T0 + h * HOUR + HOUR).toISOString().replace('Z', '+01:00')
      : new Date(T0 + h * HOUR).toISOString(),
  );

const event = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES),
    item_id: fc.option(fc.constantFrom(...Object.keys(ITEMS), 'unknown'), { nil: undefined }),
    session_id: fc.constantFrom('s-a', 's-b', 's-c', 's-d', '10', '2'),
    ts: stamp,
    rating: fc.integer({ min: 1, max: 5 }),
    dwell_ms: fc.integer({ min: 0, max: 90_000 }),
    text: fc.option(fc.constantFrom('love it, amazing', 'awful and broken'), { nil: undefined }),
  })
  .map(({ text, ...f }) => makeStreamEvent(text ? { ...f, text } : f));

const options: fc.Arbitrary<FoldOptions> = fc.record({
  maxCategories: fc.constantFrom(2, 3, 24),
  recentItems: fc.constantFrom(2, 20),
  maxSessions: fc.constantFrom(1, 2, 3),
  halfLifeMs: fc.constantFrom(DAY, 14 * DAY),
});

/** The working parts apply.ts folds a batch into: the stored objects, mood and session map copied. */
const partsOf = (s: ProfileParts): ProfileParts => ({
  ...(s.taste ? { taste: s.taste } : {}),
  ...(s.affinities ? { affinities: s.affinities } : {}),
  ...(s.mood ? { mood: [...s.mood] } : {}),
  ...(s.sessions ? { sessions: { ...s.sessions } } : {}),
});

/** Folds one batch the way apply.ts does: stops at the first event that throws. */
function foldBatch(
  fold: typeof foldEvent,
  state: ProfileParts,
  batch: readonly ReturnType<typeof makeStreamEvent>[],
  opts: FoldOptions,
) {
  const parts = partsOf(state);
  for (const [i, e] of batch.entries()) {
    try {
      fold(parts, e, e.item_id ? ITEMS[e.item_id] : undefined, opts);
    } catch (err) {
      return { parts, failedAt: i, error: (err as Error).message };
    }
  }
  return { parts };
}

describe('folding a batch in place', () => {
  it('gives what copying per event gave, event after event and batch after batch, and never writes its input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(event, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        options,
        (batches, opts) => {
          let state: ProfileParts = {};
          let reference: ProfileParts = {};
          for (const batch of batches) {
            const before = structuredClone(state);
            const got = foldBatch(foldEvent, state, batch, opts);
            const want = foldBatch(referenceFoldEvent, reference, batch, opts);
            expect(got).toEqual(want);
            // Key order is what a stored row shows, and the order sessions are kept in.
            expect(Object.keys(got.parts.sessions ?? {})).toEqual(Object.keys(want.parts.sessions ?? {}));
            expect(state).toEqual(before);
            state = got.parts;
            reference = want.parts;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('applying the same batch to the same state twice gives the same state and leaves the first alone', () => {
    const items = new Map(Object.entries(ITEMS));
    const batch = (from: number) =>
      ['a', 'b', 'c', 'a', 'd', 'e'].map((item, i) => ({
        event: makeStreamEvent({
          type: 'click',
          item_id: item,
          session_id: i % 2 ? 's-a' : 's-b',
          ts: new Date(T0 + (from + i) * HOUR).toISOString(),
        }),
        sequenceNumber: seq(from + i),
      }));
    const now = () => new Date(T0 + DAY);
    const first = applyUserEvents('u', undefined, batch(1), { items, now });
    const kept = structuredClone(first);
    const second = batch(10);
    const once = applyUserEvents('u', first, second, { items, now });
    const twice = applyUserEvents('u', first, second, { items, now });
    expect(twice).toEqual(once);
    expect(first).toEqual(kept);
    expect(once?.sessions?.['s-a']?.event_count).toBe(6);
  });
});
