import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIM, generateCatalog } from '../../local/seed/catalog';
import { ensureTables } from '../../local/standins/tables';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { InMemoryItemLookup } from '../../origin-lambdas/adapters/item-store/in-memory-item-lookup';
import { scanCatalogItems } from '../../origin-lambdas/adapters/item-store/scan-items';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { ItemCache } from '../../origin-lambdas/recommend/item-cache';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { ItemLookup } from '../../shared/ports/item-lookup';
import { catalogItem } from '../helpers/catalog-item';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

type Doc = ReturnType<typeof createDocumentClient>;

// Every lookup polls the change feed (pollMs 0), so a published change shows on the next call.
const ADAPTERS: [string, (doc: Doc, prefix: string) => ItemLookup][] = [
  [
    'ItemCache over DynamoDB',
    (doc, prefix) =>
      new ItemCache(new DynamoItemCatalog(doc, prefix), new DynamoChangeFeed(doc, prefix), { pollMs: 0 }),
  ],
  [
    'InMemoryItemLookup (compact store)',
    (doc, prefix) =>
      new InMemoryItemLookup({
        catalog: new DynamoItemCatalog(doc, prefix),
        load: () => scanCatalogItems(doc, prefix, 2),
        dimensions: EMBEDDING_DIM,
        changes: new DynamoChangeFeed(doc, prefix),
        pollMs: 0,
      }),
  ],
];

const vector = (seed: number) =>
  Array.from({ length: EMBEDDING_DIM }, (_, i) => Math.fround(Math.sin(seed + i)));

describe('ItemLookup contract (DynamoDB Local)', () => {
  let dynamo: TestDynamo;
  let doc: Doc;
  beforeAll(async () => {
    dynamo = await startTestDynamo('lookup');
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.stop();
  });

  describe.each(ADAPTERS)('%s', (name, make) => {
    const prefix = `lk${name.length}${Date.now().toString(36)}`;
    let catalog: DynamoItemCatalog;
    let lookup: ItemLookup;
    let items: CatalogItem[];
    const restricted = catalogItem('item-restricted', vector(1), {
      title: 'Väterchen Frost — 18+ édition',
      regions: ['DE', 'AT'],
      min_age: 18,
      deleted: false,
    });
    const gone = catalogItem('item-gone', vector(2), { available: false, deleted: true, price: 0.1 });
    beforeAll(async () => {
      await ensureTables(dynamo.client, prefix);
      catalog = new DynamoItemCatalog(doc, prefix);
      items = generateCatalog({ items: 150 });
      await catalog.putItems([...items, restricted, gone]);
      lookup = make(doc, prefix);
      await lookup.ready();
    });

    it('answers in the order asked, repeats kept and unknown ids left out, as the catalog stores them', async () => {
      const ids = ['item-00120', 'missing', 'item-00003', 'item-00120', 'item-restricted'];
      const got = await lookup.getItems(ids);
      expect(got.map((i) => i.item_id)).toEqual([
        'item-00120',
        'item-00003',
        'item-00120',
        'item-restricted',
      ]);
      const stored = await catalog.getItems(['item-00120', 'item-00003', 'item-restricted']);
      expect(got[0]).toEqual(stored[0]);
      expect(got[1]).toEqual(stored[1]);
      expect(got[3]).toEqual(stored[2]);
      expect(got[3]).toMatchObject({ regions: ['DE', 'AT'], min_age: 18, deleted: false });
    });

    it('keeps the flags of unavailable and deleted items (the funnel filters them)', async () => {
      const [item] = await lookup.getItems(['item-gone']);
      expect(item).toMatchObject({ item_id: 'item-gone', available: false, deleted: true, price: 0.1 });
    });

    it('answers an item written after it loaded', async () => {
      const late = catalogItem('item-late', vector(3), { category: 'garden', popularity: 42 });
      await catalog.putItems([late]);
      expect(await lookup.getItems(['item-late'])).toEqual([late]);
    });

    it('shows an edit and a deletion once the change stream announces them', async () => {
      const [before] = await lookup.getItems(['item-00007']);
      const edited = {
        ...(before as CatalogItem),
        title: 'A much longer title than the one before',
        price: 99.5,
      };
      const deleted = { ...(await catalog.getItems(['item-00008']))[0]!, deleted: true };
      await catalog.putItems([edited, deleted]);
      await new DynamoChangeFeed(doc, prefix).publish('items', ['item-00007', 'item-00008']);
      const got = await lookup.getItems(['item-00007', 'item-00008']);
      expect(got[0]).toEqual(edited);
      expect(got[1]).toMatchObject({ item_id: 'item-00008', deleted: true });
    });
  });
});
