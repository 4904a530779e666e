import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blendRelated,
  coRankScore,
  relatedReasons,
  toRelatedItem,
  usableEmbedding,
} from '../../../origin-lambdas/related/blend';
import type { CatalogItem } from '../../../shared/ports/item-catalog';

const item = (item_id: string, embedding: number[], extra: Partial<CatalogItem> = {}): CatalogItem => ({
  item_id,
  title: `Title ${item_id}`,
  category: 'books',
  modality: 'text',
  price: 10,
  popularity: 1,
  created_at: '2026-01-01T00:00:00.000Z',
  available: true,
  embedding,
  ...extra,
});

const anchor = item('anchor', [1, 0]);
const a = item('a', [1, 0]); // cos 1, content only
const b = item('b', [0, 1]); // cos 0, co-interaction rank 0
const c = item('c', [0.6, 0.8]); // cos 0.6, both sources, co-interaction rank 1

describe('coRankScore', () => {
  it('is 1 / (1 + rank)', () => {
    expect([0, 1, 3, 49].map(coRankScore)).toEqual([1, 0.5, 0.25, 0.02]);
  });
});

describe('blendRelated', () => {
  it('scores w_content * cos + w_co / (1 + rank) and orders best first, co rank breaking ties', () => {
    // Arrange
    const input = {
      anchor,
      items: [a, b, c],
      contentIds: new Set(['a', 'c']),
      coInteraction: ['b', 'c'],
    };

    // Act
    const out = blendRelated(input);

    // Assert: c = 0.5*0.6 + 0.5*0.5; a = 0.5*1; b = 0.5*1 (tie with a, b is on the co list)
    expect(out.map((x) => x.item.item_id)).toEqual(['c', 'b', 'a']);
    expect(out.map((x) => x.score)).toEqual([expect.closeTo(0.55, 12), 0.5, 0.5]);
    expect(out[0]).toMatchObject({
      fromContent: true,
      coRank: 1,
      contributions: { content: expect.closeTo(0.3, 12), coInteraction: 0.25, user: 0 },
    });
    expect(out[1]?.fromContent).toBe(false);
    expect(out[2]?.coRank).toBeUndefined();
  });

  it('honours custom weights', () => {
    const out = blendRelated({
      anchor,
      items: [a, b],
      contentIds: new Set(['a']),
      coInteraction: ['b'],
      weights: { content: 0.2, coInteraction: 0.9 },
    });
    expect(out.map((x) => [x.item.item_id, x.score])).toEqual([
      ['b', 0.9],
      ['a', 0.2],
    ]);
  });

  it('adds w_user * cos(user, item) when the user embedding is in the same space', () => {
    const out = blendRelated({
      anchor,
      items: [a, b],
      contentIds: new Set(['a']),
      coInteraction: ['b'],
      userEmbedding: [0, 1],
      weights: { content: 0.5, coInteraction: 0.4, user: 0.3 },
    });
    // a = 0.5*1 + 0; b = 0 + 0.4 + 0.3*1: the user's taste lifts b above a.
    expect(out.map((x) => x.item.item_id)).toEqual(['b', 'a']);
    expect(out[0]?.score).toBeCloseTo(0.7, 12);
    expect(out[0]?.contributions.user).toBeCloseTo(0.3, 12);
    expect(out[1]?.contributions.user).toBe(0);
  });

  it('ignores a user embedding of another width or all zeros', () => {
    const base = { anchor, items: [a, b], contentIds: new Set(['a']), coInteraction: ['b'] };
    const plain = blendRelated(base);
    expect(blendRelated({ ...base, userEmbedding: [0, 1, 0] })).toEqual(plain);
    expect(blendRelated({ ...base, userEmbedding: [0, 0] })).toEqual(plain);
    expect(usableEmbedding([0, 1], 2)).toBe(true);
    expect(usableEmbedding([0, 1], 3)).toBe(false);
    expect(usableEmbedding(undefined, 2)).toBe(false);
  });

  it('drops the anchor, unavailable and deleted items, non-candidates and duplicates', () => {
    const out = blendRelated({
      anchor,
      items: [
        anchor,
        item('gone', [1, 0], { available: false }),
        item('deleted', [1, 0], { deleted: true }),
        item('stranger', [1, 0]),
        a,
        a,
        b,
      ],
      contentIds: new Set(['anchor', 'gone', 'a']),
      coInteraction: ['anchor', 'deleted', 'b', 'b'],
    });
    expect(out.map((x) => x.item.item_id)).toEqual(['a', 'b']);
    // b keeps its raw list position (2), unservable ids ahead of it still count.
    expect(out[1]?.coRank).toBe(2);
    expect(out[1]?.score).toBeCloseTo(0.5 / 3, 12);
  });

  it('never returns the anchor or an unservable item, never repeats, and is sorted (property)', () => {
    const ids = ['anchor', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6'];
    const arbItem = fc.record({
      id: fc.constantFrom(...ids),
      v: fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
      available: fc.boolean(),
      deleted: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(arbItem, { maxLength: 12 }),
        fc.subarray(ids),
        fc.array(fc.constantFrom(...ids), { maxLength: 10 }),
        fc.option(
          fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
        ),
        (rows, content, co, user) => {
          const items = rows.map((r) => item(r.id, r.v, { available: r.available, deleted: r.deleted }));
          const out = blendRelated({
            anchor,
            items,
            contentIds: new Set(content),
            coInteraction: co,
            userEmbedding: user ?? undefined,
          });
          const outIds = out.map((x) => x.item.item_id);
          expect(new Set(outIds).size).toBe(outIds.length);
          for (const x of out) {
            expect(x.item.item_id).not.toBe('anchor');
            expect(x.item.available).toBe(true);
            expect(x.item.deleted).toBe(false);
            expect(content.includes(x.item.item_id) || co.includes(x.item.item_id)).toBe(true);
          }
          for (let i = 1; i < out.length; i++)
            expect(out[i - 1]!.score).toBeGreaterThanOrEqual(out[i]!.score);
        },
      ),
      { seed: 20260101, numRuns: 300 },
    );
  });
});

describe('relatedReasons / toRelatedItem', () => {
  const [both, coOnly, contentOnly] = blendRelated({
    anchor,
    items: [a, b, c],
    contentIds: new Set(['a', 'c']),
    coInteraction: ['b', 'c'],
  });

  it('names the anchor, strongest signal first', () => {
    expect(relatedReasons(both!, anchor)).toEqual([
      { code: 'similar', text: 'Similar to Title anchor' }, // 0.3 content vs 0.25 co-interaction
      { code: 'similar', text: 'Often viewed together with Title anchor' },
    ]);
    expect(relatedReasons(coOnly!, anchor)).toEqual([
      { code: 'similar', text: 'Often viewed together with Title anchor' },
    ]);
    expect(relatedReasons(contentOnly!, anchor)).toEqual([
      { code: 'similar', text: 'Similar to Title anchor' },
    ]);
  });

  it('renders the wire item with a rounded score and its position', () => {
    expect(toRelatedItem(both!, 0, anchor)).toEqual({
      item_id: 'c',
      title: 'Title c',
      category: 'books',
      score: 0.55,
      position: 0,
      sponsored: false,
      reasons: relatedReasons(both!, anchor),
    });
  });
});
