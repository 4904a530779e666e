import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Candidate,
  EMPTY_SESSION,
  type SessionSignals,
  SOURCES,
} from '../../../shared/scoring/candidate';
import { diversify } from '../../../shared/scoring/diversify';
import { explain } from '../../../shared/scoring/explain';
import { rescore } from '../../../shared/scoring/rescore';

const cand = (
  item_id: string,
  category: string,
  score: number,
  extra: Partial<Candidate> = {},
): Candidate => ({
  item_id,
  category,
  score,
  source: 'popular',
  popularity: 0.5,
  freshness: 0.1,
  ...extra,
});

const session = (over: Partial<SessionSignals>): SessionSignals => ({ ...EMPTY_SESSION, ...over });

describe('rescore', () => {
  it('adds session similarity and category intent with exact weights', () => {
    const out = rescore(
      [cand('a', 'shoes', 0.5, { vector: [1, 0] }), cand('b', 'books', 0.6, { vector: [0, 1] })],
      session({ vector: [1, 0], categories: { shoes: 3, books: 1 } }),
    );
    expect(out.map((r) => r.candidate.item_id)).toEqual(['a', 'b']);
    expect(out[0]!.score).toBeCloseTo(0.5 + 0.35 * 1 + 0.2 * 0.75, 12);
    expect(out[1]!.score).toBeCloseTo(0.6 + 0.2 * 0.25, 12);
  });

  it('a click in this session reorders the next page', () => {
    const cands = [
      cand('pop', 'books', 0.7, { vector: [0, 1] }),
      cand('shoe', 'shoes', 0.6, { vector: [1, 0] }),
    ];
    expect(rescore(cands, EMPTY_SESSION)[0]!.candidate.item_id).toBe('pop');
    expect(rescore(cands, session({ vector: [1, 0], categories: { shoes: 1 } }))[0]!.candidate.item_id).toBe(
      'shoe',
    );
  });

  it('never returns a seen or hidden item (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 4 }),
            cat: fc.constantFrom('a', 'b', 'c'),
            s: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          {
            selector: (r) => r.id,
            maxLength: 40,
          },
        ),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 10 }),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 10 }),
        (rows, seen, hidden) => {
          const out = rescore(
            rows.map((r) => cand(r.id, r.cat, r.s)),
            session({ seen: new Set(seen), hidden: new Set(hidden) }),
          );
          for (const r of out) {
            expect(seen).not.toContain(r.candidate.item_id);
            expect(hidden).not.toContain(r.candidate.item_id);
          }
          expect(out.length).toBe(rows.filter((r) => !seen.includes(r.id) && !hidden.includes(r.id)).length);
        },
      ),
    );
  });
});

describe('diversify', () => {
  it('caps a category in the window and keeps deferred items for the tail', () => {
    const ranked = rescore(
      [
        cand('s1', 'shoes', 0.9),
        cand('s2', 'shoes', 0.8),
        cand('s3', 'shoes', 0.7),
        cand('b1', 'books', 0.1),
      ],
      EMPTY_SESSION,
    );
    const out = diversify(ranked, 4, { maxPerCategory: 2, window: 3 });
    expect(out.map((r) => r.candidate.item_id)).toEqual(['s1', 's2', 'b1', 's3']);
  });

  it('keeps the length, and holds the cap whenever other categories remain (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 30 }),
        (rows, limit) => {
          const ranked = rescore(
            rows.map(([c, s], i) => cand(`i${i}`, c, s)),
            EMPTY_SESSION,
          );
          const out = diversify(ranked, limit, { maxPerCategory: 2, window: 8 });
          expect(out.length).toBe(Math.min(limit, ranked.length));
          expect(new Set(out.map((r) => r.candidate.item_id)).size).toBe(out.length);
          const head = out.slice(0, 8);
          const counts = new Map<string, number>();
          for (const r of head) counts.set(r.candidate.category, (counts.get(r.candidate.category) ?? 0) + 1);
          const overCap = [...counts].some(([, n]) => n > 2);
          if (overCap) {
            // Only when every item left out of the head belongs to a category already at its cap.
            const inHead = new Set(head.map((r) => r.candidate.item_id));
            const spare = ranked.filter(
              (r) => !inHead.has(r.candidate.item_id) && (counts.get(r.candidate.category) ?? 0) < 2,
            );
            expect(spare).toEqual([]);
          }
        },
      ),
    );
  });
});

describe('explain', () => {
  const r = (c: Candidate, sim = 0) => ({ candidate: c, score: c.score, sessionSimilarity: sim });
  it('matches the source that produced each item', () => {
    expect(explain(r(cand('x', 'shoes', 1, { sponsored: true })))).toEqual({
      code: 'sponsored',
      text: 'Sponsored',
    });
    expect(explain(r(cand('x', 'shoes', 1, { source: 'explore' }))).code).toBe('explore');
    expect(explain(r(cand('x', 'shoes', 1, { source: 'content', anchor_title: 'Trail Shoe' })))).toEqual({
      code: 'because_viewed',
      text: 'Because you viewed Trail Shoe',
    });
    expect(explain(r(cand('x', 'Shoes', 1, { source: 'trending' })))).toEqual({
      code: 'trending',
      text: 'Trending in Shoes',
    });
    expect(explain(r(cand('x', 'shoes', 1, { freshness: 0.9 }))).code).toBe('new');
    expect(explain(r(cand('x', 'shoes', 1), 0.8)).code).toBe('similar');
    expect(explain(r(cand('x', 'shoes', 1))).code).toBe('popular');
    expect(SOURCES).toContain('collaborative');
  });
});
