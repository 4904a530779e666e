import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { AttuneEvent } from '../../shared/schemas/event';
import { createItemLookup } from '../../stream-handlers/common/item-lookup';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import type { UserProfile } from '../../stream-handlers/user-state/profile';
import { decodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { kinesisEvent, kinesisRecord, makeStreamEvent, seq } from '../helpers/events';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const context = { functionName: 'user-state', awsRequestId: 'test' } as Context;
const T0 = Date.parse('2026-11-20T12:00:00Z');
const DAY = 24 * 3600 * 1000;
// Embeddings whose components are exact in float32, so stored values compare exactly.
const item = (item_id: string, category: string, embedding: number[]): CatalogItem => ({
  item_id,
  title: item_id,
  category,
  modality: 'text',
  price: 1,
  popularity: 1,
  created_at: '2026-01-01T00:00:00Z',
  available: true,
  embedding,
});
const ITEMS = [
  item('a', 'books', [1, 0, 0, 0]),
  item('b', 'music', [0, 1, 0, 0]),
  item('c', 'books', [0.5, 0.5, 0, 0]),
  item('bad', 'books', [1, 0, 0]),
];

describe('user-state profile on DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let store: DynamoUserStateStore;
  let changes: DynamoChangeFeed;
  let handler: ReturnType<typeof createUserStateHandler>;
  let n = 0;
  const deliver = (events: AttuneEvent[]) =>
    handler(
      kinesisEvent(
        events.map((e) => kinesisRecord({ ...e, received_at: e.ts }, seq(++n), e.user_id ?? 'anon')),
      ),
      context,
    );
  const event = (user_id: string, type: AttuneEvent['type'], item_id: string, at: number, extra = {}) =>
    makeStreamEvent({
      user_id,
      type,
      item_id,
      ts: new Date(at).toISOString(),
      session_id: `${user_id}-s1`,
      ...extra,
    });
  const profile = async (id: string) => decodeProfile(await store.getUser(id)) as UserProfile;

  beforeAll(async () => {
    dynamo = await startTestDynamo('profile');
    const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    await new DynamoItemCatalog(doc, dynamo.prefix).putItems(ITEMS);
    store = new DynamoUserStateStore(doc, dynamo.prefix);
    changes = new DynamoChangeFeed(doc, dynamo.prefix);
    handler = createUserStateHandler({
      users: store,
      items: createItemLookup(new DynamoItemCatalog(doc, dynamo.prefix)),
      changes,
    });
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('a click moves the taste, recent items, affinities and session that the next recommendation reads', async () => {
    const before = Date.now();
    expect((await deliver([event('u1', 'click', 'a', T0)])).batchItemFailures).toEqual([]);
    const p = await profile('u1');
    expect(p.taste).toEqual({ sum: [1.5, 0, 0, 0], at: T0 });
    expect(p.embedding).toEqual([1, 0, 0, 0]);
    expect(p.embedding_version).toBe(1);
    expect(p.recent_items).toEqual(['a']);
    expect(p.affinities).toEqual({ scores: { books: 1.5 }, at: T0 });
    expect(p.sessions?.['u1-s1']).toMatchObject({
      event_count: 1,
      recent_items: ['a'],
      vector: [1.5, 0, 0, 0],
    });
    expect(p.freshness_ms).toBeGreaterThan(0);
    expect((await changes.changedSince('users', before - 20_000)).ids).toContain('u1');

    // A purchase of another item at the same moment: the sum adds 4 * b, the direction turns toward b.
    await deliver([event('u1', 'purchase', 'b', T0)]);
    const q = await profile('u1');
    expect(q.taste?.sum).toEqual([1.5, 4, 0, 0]);
    const norm = Math.hypot(1.5, 4);
    expect(q.embedding?.[0]).toBeCloseTo(1.5 / norm, 6);
    expect(q.embedding?.[1]).toBeCloseTo(4 / norm, 6);
    expect(q.recent_items).toEqual(['b', 'a']);
    expect(q.affinities?.scores).toEqual({ music: 4, books: 1.5 });
  });

  it('decays older signal by the half-life and lets a hide push away', async () => {
    await deliver([event('u2', 'click', 'a', T0)]);
    // 14 days later (the default half-life) the click counts half; the hide subtracts 2 * c.
    await deliver([event('u2', 'hide', 'c', T0 + 14 * DAY)]);
    const p = await profile('u2');
    expect(p.taste).toEqual({ sum: [0.75 - 1, -1, 0, 0], at: T0 + 14 * DAY });
    expect(p.affinities?.scores).toEqual({ books: 0.75 - 2 });
    expect(p.recent_items).toEqual(['a']);
    expect(p.mood?.[3]).toBeCloseTo(0.2, 10);
  });

  it('the same event delivered twice is applied once', async () => {
    const e = event('u3', 'click', 'a', T0);
    await deliver([e]);
    const once = await profile('u3');
    await deliver([e]);
    const twice = await profile('u3');
    expect(twice.event_count).toBe(1);
    expect(twice.taste).toEqual(once.taste);
    expect(twice.sessions).toEqual(once.sessions);
  });

  it('scores review text with the sentiment lexicon into the mood valence', async () => {
    await deliver([event('u4', 'rating', 'a', T0, { rating: 3, text: 'I love it, amazing and wonderful' })]);
    await deliver([event('u5', 'rating', 'a', T0, { rating: 3, text: 'terrible, awful, broken' })]);
    expect((await profile('u4')).mood?.[0]).toBeGreaterThan(0);
    expect((await profile('u5')).mood?.[0]).toBeLessThan(0);
  });

  it('a record that throws fails with the user’s later records; the earlier ones and other users commit', async () => {
    const good = event('u6', 'click', 'a', T0);
    const poison = event('u6', 'click', 'bad', T0);
    const later = event('u6', 'click', 'b', T0);
    const other = event('u7', 'view', 'b', T0);
    const out = await deliver([good, poison, other, later]);
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([seq(n - 2), seq(n)]);
    expect((await profile('u6')).recent_items).toEqual(['a']);
    expect((await profile('u6')).watermark).toBe(seq(n - 3));
    expect((await profile('u7')).recent_items).toEqual(['b']);
  });

  it('an older batch after a newer one leaves the whole profile as it was', async () => {
    const newer = event('u8', 'click', 'b', T0);
    const older = event('u8', 'purchase', 'a', T0);
    await handler(kinesisEvent([kinesisRecord(newer, seq(900), 'u8')]), context);
    const before = await store.getUser('u8');
    await handler(kinesisEvent([kinesisRecord(older, seq(899), 'u8')]), context);
    expect(await store.getUser('u8')).toEqual(before);
  });
});
