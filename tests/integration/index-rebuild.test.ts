import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { OpenSearchVectorIndex } from '../../origin-lambdas/adapters/vector/opensearch-index';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { tableName } from '../../shared/tables';
import { type FullLoadProgress, rebuildFromItems } from '../../stream-handlers/item-indexer/rebuild';
import { catalogItem } from '../helpers/catalog-item';
import { type FakeOpenSearch, startFakeOpenSearch } from '../helpers/fake-opensearch';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

// The first full load of the OpenSearch index from the items table in DynamoDB Local, into the
// documented OpenSearch fake (no OpenSearch server runs here).
const item = catalogItem;

describe('index:rebuild: the items table into a new OpenSearch index behind the alias', () => {
  let dynamo: TestDynamo;
  let fake: FakeOpenSearch;

  beforeAll(async () => {
    [dynamo, fake] = await Promise.all([startTestDynamo('rebuild'), startFakeOpenSearch()]);
  });
  afterAll(async () => {
    await Promise.all([dynamo?.stop(), fake?.close()]);
  });

  it('the local items table streams its changes, as the deployed one does', async () => {
    const d = await dynamo.client.send(
      new DescribeTableCommand({ TableName: tableName(dynamo.prefix, 'items') }),
    );
    expect(d.Table?.StreamSpecification).toMatchObject({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });

  it('loads exactly the indexable items and moves the alias off the old index', async () => {
    const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    await new DynamoItemCatalog(doc, dynamo.prefix).putItems([
      item('a', [1, 0, 0, 0]),
      item('b', [0, 1, 0, 0], { category: 'games' }),
      item('c', [0, 0, 1, 0]),
      item('sold-out', [0, 0, 0, 1], { available: false }),
      item('deleted', [1, 1, 0, 0], { deleted: true }),
      item('other-space', [1, 0, 0, 0, 0, 0]),
    ]);
    const index = new OpenSearchVectorIndex({
      client: new Client({ node: fake.url }),
      alias: 'rebuild-items',
      dimensions: 4,
      refresh: true,
    });
    const first = await index.rebuild([{ id: 'stale', vector: [0, 0, 0, 1], category: 'books' }]);

    const phases: FullLoadProgress['phase'][] = [];
    const result = await rebuildFromItems(doc, dynamo.prefix, index, (p) => phases.push(p.phase));
    doc.destroy();

    expect(result.items).toBe(3);
    expect(result.previous).toEqual([first.index]);
    expect(result.index).not.toBe(first.index);
    expect(new Set(phases)).toEqual(new Set(['scan', 'load']));
    const hits = await index.search([1, 1, 1, 1], 10);
    expect(hits.map((h) => h.id).sort()).toEqual(['a', 'b', 'c']);
    expect(await index.size()).toBe(3);
  });
});
