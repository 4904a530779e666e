import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { dynamoListJobDeps, type ListJobPhase, refreshLists } from '../../origin-lambdas/lists/job';
import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { tableName } from '../../shared/tables';
import { bucketOf } from '../../stream-handlers/common/time-bucket';
import { itemAttr, TRENDING } from '../../stream-handlers/trending/counts';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3600_000;

const item = (
  item_id: string,
  category: string,
  popularity: number,
  extra: Partial<CatalogItem> = {},
): CatalogItem => ({
  item_id,
  title: item_id,
  category,
  modality: 'text',
  price: 10,
  popularity,
  created_at: '2026-01-01T00:00:00.000Z',
  available: true,
  embedding: [1, 0, 0, 0],
  ...extra,
});

/** Trending rows laid out as the trending stream handler writes them. */
async function putTrend(
  doc: DynamoDBDocumentClient,
  prefix: string,
  at: number,
  category: string,
  scores: Record<string, number>,
) {
  const bucket = bucketOf(at, TRENDING.bucketMs);
  const TableName = tableName(prefix, 'trending');
  await doc.send(
    new PutCommand({
      TableName,
      Item: { scope: TRENDING.globalScope, bucket, events: 1, [`k:${category}`]: 1 },
    }),
  );
  const attrs = Object.fromEntries(Object.entries(scores).map(([id, s]) => [itemAttr.score(id), s]));
  await doc.send(
    new PutCommand({ TableName, Item: { scope: TRENDING.categoryScope(category), bucket, ...attrs } }),
  );
}

describe('list job on DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let doc: DynamoDBDocumentClient;
  let catalog: DynamoItemCatalog;
  const stored = async () => {
    const out = await doc.send(new ScanCommand({ TableName: tableName(dynamo.prefix, 'lists') }));
    return Object.fromEntries((out.Items ?? []).map((l) => [l.list_id as string, l]));
  };
  const run = (now = NOW, onProgress?: (p: ListJobPhase, done: number, total?: number) => void) =>
    refreshLists(
      dynamoListJobDeps(doc, dynamo.prefix, () => now),
      { defaultCountries: ['US'], onProgress },
    );

  beforeAll(async () => {
    dynamo = await startTestDynamo('lists');
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    catalog = new DynamoItemCatalog(doc, dynamo.prefix);
    await catalog.putItems([
      item('i1', 'books', 100),
      item('i2', 'books', 40),
      item('i3', 'music', 70, { regions: ['JP'] }),
      item('i4', 'music', 90, { available: false }),
      item('i5', 'games', 20, { deleted: true }),
      item('i6', 'music', 30),
    ]);
    await putTrend(doc, dynamo.prefix, NOW - HOUR, 'books', { i2: 8 });
    await putTrend(doc, dynamo.prefix, NOW - 20 * HOUR, 'music', { i4: 20, i6: 4 });
    // Outside the 24 h window: must not count.
    await putTrend(doc, dynamo.prefix, NOW - 30 * HOUR, 'music', { i6: 100 });
    const users = tableName(dynamo.prefix, 'users');
    for (const Item of [
      { user_id: 'u1', facet: 'state', segments: ['fans'], affinities: { scores: { music: 5 } } },
      { user_id: 'u2', facet: 'prefs', segments: ['fans'] },
      { user_id: 'u3', facet: 'prefs', segments: ['bookish'] },
      { user_id: 'u3', facet: 'state', affinities: { scores: { books: 2, music: 1 } } },
      // Not a state or prefs row: its segments are ignored.
      { user_id: 'u4', facet: 'session#s1', segments: ['ghost'] },
    ])
      await doc.send(new PutCommand({ TableName: users, Item }));
    await catalog.putList({ list_id: LIST_IDS.lastGood('u1', 'home'), item_ids: ['i3'], updated_at: 'then' });
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.stop();
  });

  it('writes every list in exact order from trends in the window and catalog popularity', async () => {
    const phases = new Set<string>();
    const report = await run(NOW, (p) => phases.add(p));
    expect({ lists: report.lists, items: report.items }).toEqual({ lists: 8, items: 4 });
    expect(report.ms).toBeGreaterThanOrEqual(0);
    expect([...phases].sort()).toEqual(['items', 'trending', 'users', 'write']);

    const lists = await stored();
    // Scores: i2 .7*8/8 + .3*40/100 = .82, i6 .35 + .09 = .44, i1 .30, i3 .21.
    expect(Object.fromEntries(Object.entries(lists).map(([id, l]) => [id, l.item_ids]))).toEqual({
      'popular:global': ['i2', 'i6', 'i1', 'i3'],
      'popular:category:books': ['i2', 'i1'],
      'popular:category:games': [],
      'popular:category:music': ['i6', 'i3'],
      'popular:country:JP': ['i2', 'i6', 'i1', 'i3'],
      'popular:country:US': ['i2', 'i6', 'i1'],
      // fans like music at 0.5: i6 .66 and i3 .315 pass i1 .30.
      'popular:segment:fans': ['i2', 'i6', 'i3', 'i1'],
      // bookish: books 1, music .5: i2 1.64, i6 .66, i1 .60, i3 .315.
      'popular:segment:bookish': ['i2', 'i6', 'i1', 'i3'],
      'lastgood:u1:home': ['i3'],
    });
    expect(lists['popular:global']?.updated_at).toBe(new Date(NOW).toISOString());
    expect(lists['lastgood:u1:home']?.updated_at).toBe('then');
  });

  it('is idempotent: a rerun writes the same lists, only updated_at moves', async () => {
    const before = await stored();
    const later = NOW + 5 * 60_000;
    const report = await run(later);
    expect({ lists: report.lists, items: report.items }).toEqual({ lists: 8, items: 4 });
    const after = await stored();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [id, l] of Object.entries(after)) {
      expect(l.item_ids, id).toEqual(before[id]?.item_ids);
      if (id.startsWith('popular:')) expect(l.updated_at, id).toBe(new Date(later).toISOString());
    }
    // The ladder reads them through the catalog port.
    expect((await catalog.getList(LIST_IDS.countryPopular('us')))?.item_ids).toEqual(['i2', 'i6', 'i1']);
  });

  it('drops an item from every list once it becomes unavailable', async () => {
    const [i2] = await catalog.getItems(['i2']);
    await catalog.putItems([{ ...i2!, available: false }]);
    const report = await run();
    expect(report.items).toBe(3);
    const lists = await stored();
    for (const [id, l] of Object.entries(lists)) {
      for (const bad of ['i2', 'i4', 'i5']) expect(l.item_ids, id).not.toContain(bad);
    }
    // i2's trend left with it: i6 now holds the trend maximum alone.
    expect(lists['popular:global']?.item_ids).toEqual(['i6', 'i1', 'i3']);
    expect(lists['popular:category:books']?.item_ids).toEqual(['i1']);
  });
});
