import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../local/seed/catalog';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

describe('ItemCatalog contract: DynamoDB adapter on DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let catalog: DynamoItemCatalog;
  beforeAll(async () => {
    dynamo = await startTestDynamo('catalog');
    catalog = new DynamoItemCatalog(
      createDocumentClient({ endpoint: dynamo.standIn.endpoint }),
      dynamo.prefix,
    );
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('stores items in batches and reads them back in the order asked, embeddings intact', async () => {
    const items = generateCatalog({ items: 130 });
    await catalog.putItems(items);
    const ids = ['item-00120', 'item-00003', 'missing', 'item-00077'];
    const got = await catalog.getItems(ids);
    expect(got.map((i) => i.item_id)).toEqual(['item-00120', 'item-00003', 'item-00077']);
    const original = items.find((i) => i.item_id === 'item-00003')!;
    expect(got[1]).toMatchObject({
      title: original.title,
      category: original.category,
      price: original.price,
    });
    for (const [k, x] of got[1]!.embedding.entries()) expect(x).toBeCloseTo(original.embedding[k]!, 6);
  });

  it('reads more than one BatchGet page (over 100 ids)', async () => {
    const ids = generateCatalog({ items: 130 }).map((i) => i.item_id);
    expect((await catalog.getItems(ids)).length).toBe(130);
  });

  it('keeps lists', async () => {
    await catalog.putList({
      list_id: 'popular:global',
      item_ids: ['b', 'a'],
      updated_at: '2026-11-23T00:00:00.000Z',
    });
    expect(await catalog.getList('popular:global')).toEqual({
      list_id: 'popular:global',
      item_ids: ['b', 'a'],
      updated_at: '2026-11-23T00:00:00.000Z',
    });
    expect(await catalog.getList('nope')).toBeUndefined();
  });

  it('reports health, and reports a missing table as unhealthy', async () => {
    expect((await catalog.health()).ok).toBe(true);
    const wrong = new DynamoItemCatalog(
      createDocumentClient({ endpoint: dynamo.standIn.endpoint }),
      'no-such-prefix',
    );
    expect((await wrong.health()).ok).toBe(false);
  });
});
