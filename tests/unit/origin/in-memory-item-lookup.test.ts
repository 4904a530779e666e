import { describe, expect, it } from 'vitest';
import { InMemoryItemLookup } from '../../../origin-lambdas/adapters/item-store/in-memory-item-lookup';
import type { CatalogItem } from '../../../shared/ports/item-catalog';
import type { ItemLookup } from '../../../shared/ports/item-lookup';
import type { ChangeFeed } from '../../../stream-handlers/common/change-feed';
import { catalogItem } from '../../helpers/catalog-item';

const held = [catalogItem('a', [1, 0]), catalogItem('b', [0, 1]), catalogItem('c', [1, 1])];

/** A catalog that answers from `items` and records every id list it was asked for. */
function countingCatalog(items: readonly CatalogItem[]) {
  const asked: string[][] = [];
  return {
    asked,
    async getItems(ids: readonly string[]) {
      asked.push([...ids]);
      return items.filter((i) => ids.includes(i.item_id));
    },
  };
}

async function* pages(...batches: CatalogItem[][]) {
  for (const b of batches) yield b;
}

describe('InMemoryItemLookup', () => {
  it('answers held items without a catalog read, and reads only the ids it does not hold', async () => {
    const late = catalogItem('late', [0, 0]);
    const catalog = countingCatalog([...held, late]);
    const lookup = new InMemoryItemLookup({
      catalog,
      load: () => pages(held.slice(0, 2), held.slice(2)),
      dimensions: 2,
    });
    await lookup.ready();

    expect((await lookup.getItems(['c', 'a', 'c'])).map((i) => i.item_id)).toEqual(['c', 'a', 'c']);
    expect(catalog.asked).toEqual([]);
    expect(await lookup.getItems(['b', 'late', 'nowhere'])).toEqual([held[1], late]);
    expect(catalog.asked).toEqual([['late', 'nowhere']]);
    await lookup.getItems(['late']);
    expect(catalog.asked).toHaveLength(1);
    expect(lookup.size).toBe(4);
  });

  it('answers from its stand-in while the store loads', async () => {
    let release = () => {};
    async function* slow() {
      await new Promise<void>((r) => {
        release = r;
      });
      yield held;
    }
    const standIn: ItemLookup = {
      getItems: async () => [catalogItem('from-cache', [0, 0])],
      ready: async () => {},
    };
    const lookup = new InMemoryItemLookup({
      catalog: countingCatalog([]),
      load: slow,
      dimensions: 2,
      whileLoading: standIn,
    });
    expect((await lookup.getItems(['a'])).map((i) => i.item_id)).toEqual(['from-cache']);
    release();
    await lookup.ready();
    expect((await lookup.getItems(['a'])).map((i) => i.item_id)).toEqual(['a']);
  });

  it('re-reads changed items, and asks again from the same point after a failed poll', async () => {
    let now = 1_000;
    const since: number[] = [];
    let fail = true;
    const changes: ChangeFeed = {
      publish: async () => {},
      changedSince: async (_stream, from, until = now) => {
        since.push(from);
        if (fail) throw new Error('feed down');
        return { ids: ['a'], until };
      },
    };
    const edited = { ...(held[0] as CatalogItem), title: 'Edited' };
    const catalog = countingCatalog([edited]);
    const lookup = new InMemoryItemLookup({
      catalog,
      load: () => pages(held),
      dimensions: 2,
      changes,
      now: () => now,
    });
    await lookup.ready();

    now = 2_500;
    expect((await lookup.getItems(['a']))[0]?.title).toBe('Item a');
    now = 2_900;
    await lookup.getItems(['a']);
    expect(since).toEqual([1_000]);
    now = 3_600;
    fail = false;
    expect((await lookup.getItems(['a']))[0]?.title).toBe('Edited');
    expect(since).toEqual([1_000, 1_000]);
    expect(catalog.asked).toEqual([['a']]);
  });
});
