import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactItemStore } from '../../../origin-lambdas/adapters/item-store/compact-item-store';
import type { CatalogItem } from '../../../shared/ports/item-catalog';
import { catalogItem } from '../../helpers/catalog-item';

const DIMS = 4;
const f32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround);

const itemArb = fc
  .record({
    item_id: fc.string({ minLength: 1, maxLength: 6 }),
    title: fc.string({ maxLength: 40 }),
    category: fc.constantFrom('books', 'shoes', 'garden'),
    modality: fc.constantFrom('text', 'image', 'video', 'audio'),
    price: fc.double({ noNaN: true, noDefaultInfinity: true }),
    popularity: fc.nat(),
    created_at: fc.oneof(
      fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constant('2026-11-01T00:00:00Z'),
      fc.constant('not a date'),
    ),
    available: fc.boolean(),
    embedding: fc.oneof(fc.array(f32, { minLength: DIMS, maxLength: DIMS }), fc.array(f32, { maxLength: 3 })),
    regions: fc.option(fc.array(fc.constantFrom('DE', 'FR', 'US'), { maxLength: 3 }), { nil: undefined }),
    min_age: fc.option(fc.oneof(fc.integer({ min: 0, max: 21 }), fc.constant(17.5)), { nil: undefined }),
    deleted: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(
    (r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as CatalogItem,
  );

describe('CompactItemStore', () => {
  it('reads back every item as it was last put, after any puts and removes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            itemArb.map((item) => ({ put: item })),
            fc.string({ maxLength: 6 }).map((id) => ({ id })),
          ),
          {
            maxLength: 60,
          },
        ),
        (ops) => {
          const store = new CompactItemStore(DIMS, 2);
          const expected = new Map<string, CatalogItem>();
          for (const op of ops) {
            if ('put' in op) {
              store.put([op.put]);
              expected.set(op.put.item_id, op.put);
            } else {
              store.remove([op.id]);
              expected.delete(op.id);
            }
          }
          expect(store.size).toBe(expected.size);
          for (const [id, item] of expected) expect(store.get(id)).toEqual(item);
        },
      ),
    );
  });

  it('leaves out removed ids and reuses their slots without leaking their fields', () => {
    const store = new CompactItemStore(2, 1);
    store.put([
      catalogItem('a', [1, 2], { regions: ['DE'], min_age: 18, deleted: false }),
      catalogItem('b', [3, 4], { title: 'Bee' }),
    ]);
    store.remove(['a', 'unknown']);
    store.put([catalogItem('c', [5, 6])]);
    expect(store.get('a')).toBeUndefined();
    expect(store.has('a')).toBe(false);
    expect(store.get('c')).toEqual(catalogItem('c', [5, 6]));
    expect(store.get('b')).toEqual(catalogItem('b', [3, 4], { title: 'Bee' }));
    expect(store.size).toBe(2);
  });

  it('keeps every title when replaced titles fill the buffer and it is packed', () => {
    const store = new CompactItemStore(2, 1);
    for (let round = 0; round < 50; round++)
      store.put(['x', 'y', 'z'].map((id) => catalogItem(id, [0, 1], { title: `${id} `.repeat(round + 1) })));
    expect(store.get('x')?.title).toBe('x '.repeat(50));
    expect(store.get('z')?.title).toBe('z '.repeat(50));
  });
});
