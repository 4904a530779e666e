import { marshall } from '@aws-sdk/util-dynamodb';
import { Client } from '@opensearch-project/opensearch';
import type { AttributeValue, Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchVectorIndex } from '../../origin-lambdas/adapters/vector/opensearch-index';
import { encodeVector } from '../../origin-lambdas/adapters/vector-codec';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { createItemIndexerHandler } from '../../stream-handlers/item-indexer/handler';
import { catalogItem } from '../helpers/catalog-item';
import { type FakeOpenSearch, startFakeOpenSearch } from '../helpers/fake-opensearch';

// The items-table stream handler over the OpenSearch adapter and the documented OpenSearch fake
// (no OpenSearch server can run here), with records shaped as Lambda delivers them.
const context = { functionName: 'item-indexer', awsRequestId: 'test' } as Context;
const STREAM_ARN =
  'arn:aws:dynamodb:us-east-1:123456789012:table/attune-test-items/stream/2026-11-24T00:00:00.000';

const item = catalogItem;

/** A row as DynamoDB streams it: embedding as float32 bytes, base64 in the Lambda event's JSON. */
const image = (i: CatalogItem): Record<string, AttributeValue> => {
  const raw = marshall({ ...i, embedding: encodeVector(i.embedding) }, { removeUndefinedValues: true });
  const b = raw.embedding?.B as Uint8Array;
  return { ...raw, embedding: { B: Buffer.from(b).toString('base64') } } as Record<string, AttributeValue>;
};

let seq = 100;
const record = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  id: string,
  images: { NewImage?: Record<string, AttributeValue>; OldImage?: Record<string, AttributeValue> },
): DynamoDBRecord => ({
  eventID: `e${seq}`,
  eventName,
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  eventSourceARN: STREAM_ARN,
  dynamodb: {
    ApproximateCreationDateTime: 1_795_000_000,
    Keys: { item_id: { S: id } },
    ...images,
    SequenceNumber: String(++seq).padStart(21, '0'),
    SizeBytes: 200,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

const event = (...Records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records });

describe('item indexer: items-table changes into the OpenSearch index', () => {
  let fake: FakeOpenSearch;
  let index: OpenSearchVectorIndex;
  let handle: ReturnType<typeof createItemIndexerHandler>;
  const alias = 'indexer-items';
  const ids = async () => (await index.search([1, 1, 1, 1], 50)).map((h) => h.id).sort();

  beforeAll(async () => {
    fake = await startFakeOpenSearch();
    // refresh: each bulk is searchable when it returns, so the index can be read back at once.
    index = new OpenSearchVectorIndex({
      client: new Client({ node: fake.url }),
      alias,
      dimensions: 4,
      refresh: true,
    });
    await index.rebuild([
      { id: 'gone', vector: [0, 0, 1, 0], category: 'games' },
      { id: 'retired', vector: [0, 0, 0, 1], category: 'games' },
    ]);
    handle = createItemIndexerHandler({ index });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('upserts inserts, removes deletes and REMOVEs, and reports only the undecodable record', async () => {
    const north = item('north', [1, 0, 0, 0]);
    const east = item('east', [0, 1, 0, 0], { category: 'games' });
    const retired = item('retired', [0, 0, 0, 1], { category: 'games' });
    const broken = record('MODIFY', 'broken', {
      NewImage: {
        item_id: { S: 'broken' },
        embedding: { Q: 'not a DynamoDB type' } as unknown as AttributeValue,
      },
    });
    const batch = event(
      record('INSERT', 'north', { NewImage: image(north) }),
      record('INSERT', 'east', { NewImage: image(east) }),
      record('MODIFY', 'retired', {
        OldImage: image(retired),
        NewImage: image({ ...retired, deleted: true }),
      }),
      broken,
      record('REMOVE', 'gone', { OldImage: image(item('gone', [0, 0, 1, 0])) }),
    );
    const bulksBefore = fake.requests.filter((r) => r.startsWith('POST /_bulk')).length;

    const res = await handle(batch, context);

    expect(res.batchItemFailures).toEqual([{ itemIdentifier: broken.dynamodb?.SequenceNumber }]);
    expect(await ids()).toEqual(['east', 'north']);
    // One bulk for the two upserts, one for the two deletes.
    expect(fake.requests.filter((r) => r.startsWith('POST /_bulk')).length - bulksBefore).toBe(2);
    const [top] = await index.search([0, 1, 0, 0], 1, { categories: new Set(['games']) });
    expect(top?.id).toBe('east');
  });

  it('skips changes the index does not hold, and applies the last change of an id in a batch', async () => {
    const north = item('north', [1, 0, 0, 0]);
    const east = item('east', [0, 1, 0, 0], { category: 'games' });
    const bulksBefore = fake.requests.filter((r) => r.startsWith('POST /_bulk')).length;

    const res = await handle(
      event(
        // A popularity update: same vector and category, nothing to write.
        record('MODIFY', 'north', { OldImage: image(north), NewImage: image({ ...north, popularity: 99 }) }),
        // Inserted unavailable: never indexed.
        record('INSERT', 'draft', { NewImage: image(item('draft', [1, 1, 0, 0], { available: false })) }),
        // Made unavailable, then back with a new vector, in one batch: the last change wins.
        record('MODIFY', 'east', { OldImage: image(east), NewImage: image({ ...east, available: false }) }),
        record('MODIFY', 'east', {
          OldImage: image({ ...east, available: false }),
          NewImage: image({ ...east, embedding: [0, 0.6, 0.8, 0] }),
        }),
      ),
      context,
    );

    expect(res.batchItemFailures).toEqual([]);
    expect(await ids()).toEqual(['east', 'north']);
    expect(fake.requests.filter((r) => r.startsWith('POST /_bulk')).length - bulksBefore).toBe(1);
    const [top] = await index.search([0, 0, 1, 0], 1);
    expect(top?.id).toBe('east');
  });

  it('fails only the records whose bulk call failed, so Lambda retries just those', async () => {
    const south = item('south', [-1, 0, 0, 0], { category: 'maps' });
    const insertSouth = record('INSERT', 'south', { NewImage: image(south) });
    const removeNorth = record('REMOVE', 'north', { OldImage: image(item('north', [1, 0, 0, 0])) });
    fake.rejectIds(['south']);

    const res = await handle(event(insertSouth, removeNorth), context);

    expect(res.batchItemFailures).toEqual([{ itemIdentifier: insertSouth.dynamodb?.SequenceNumber }]);
    expect(await ids()).toEqual(['east']);
  });
});
