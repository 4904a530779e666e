import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { UserState } from '../../shared/ports/user-state-store';
import { spyOnRequests } from '../helpers/request-spy';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const row = (user_id: string, version: number, event_count = version): UserState => ({
  user_id,
  version,
  event_count,
  recent_items: [`item-${user_id}`],
});

describe('UserStateStore.putManyIfVersion on DynamoDB Local (transactions)', () => {
  let dynamo: TestDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  let store: DynamoUserStateStore;
  let requests: ReturnType<typeof spyOnRequests>;
  beforeAll(async () => {
    dynamo = await startTestDynamo('userputs');
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    requests = spyOnRequests(doc);
    store = new DynamoUserStateStore(doc, dynamo.prefix);
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.stop();
  });

  it('writes every entry whose version matches, in one transaction', async () => {
    requests.length = 0;
    const out = await store.putManyIfVersion(
      ['a1', 'a2', 'a3'].map((id) => ({ next: row(id, 1), expectedVersion: 0 })),
    );
    expect(out).toEqual([true, true, true]);
    expect(requests).toEqual([{ command: 'TransactWriteItemsCommand', items: 3 }]);
    const stored = await store.getUsers(['a1', 'a2', 'a3']);
    expect([...stored.values()].map((u) => [u.user_id, u.version, u.recent_items])).toEqual(
      expect.arrayContaining([
        ['a1', 1, ['item-a1']],
        ['a2', 1, ['item-a2']],
        ['a3', 1, ['item-a3']],
      ]),
    );
  });

  it('reads a row written before the state blob, and its next versioned write moves it to the blob', async () => {
    const table = `${dynamo.prefix}-users`;
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          user_id: 'old1',
          facet: 'state',
          version: 4,
          event_count: 4,
          recent_items: ['x'],
          affinities: { scores: { shoes: 2 } },
        },
      }),
    );
    const read = await store.getUser('old1');
    expect(read).toMatchObject({ version: 4, recent_items: ['x'], affinities: { scores: { shoes: 2 } } });
    expect(
      await store.putManyIfVersion([{ next: { ...read!, version: 5, event_count: 5 }, expectedVersion: 4 }]),
    ).toEqual([true]);
    const raw = (
      await doc.send(new GetCommand({ TableName: table, Key: { user_id: 'old1', facet: 'state' } }))
    ).Item!;
    expect(raw.affinities).toBeUndefined();
    expect(raw.profile).toBeInstanceOf(Uint8Array);
    expect(await store.getUser('old1')).toMatchObject({
      version: 5,
      event_count: 5,
      affinities: { scores: { shoes: 2 } },
    });
    // The version condition reads the top-level attribute in both formats.
    expect(await store.putIfVersion({ ...read!, version: 5 }, 4)).toBe(false);
  });

  it('reports false for the one entry whose version moved and applies the others exactly once', async () => {
    await store.putManyIfVersion(['b1', 'b2', 'b3'].map((id) => ({ next: row(id, 1), expectedVersion: 0 })));
    // b2 was moved on to version 2 by another writer; this batch still expects version 1.
    expect(await store.putIfVersion(row('b2', 2, 20), 1)).toBe(true);
    const batch = ['b1', 'b2', 'b3'].map((id) => ({ next: row(id, 2, 7), expectedVersion: 1 }));
    expect(await store.putManyIfVersion(batch)).toEqual([true, false, true]);
    // The same batch again: every version has moved, so nothing is written twice.
    expect(await store.putManyIfVersion(batch)).toEqual([false, false, false]);
    expect(await store.getUser('b1')).toMatchObject({ version: 2, event_count: 7 });
    expect(await store.getUser('b2')).toMatchObject({ version: 2, event_count: 20 });
    expect(await store.getUser('b3')).toMatchObject({ version: 2, event_count: 7 });
  });

  it('cuts more than 100 entries into transactions of at most 100 and keeps the order of outcomes', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => `c${i}`);
    await store.putIfVersion(row('c150', 1), 0);
    requests.length = 0;
    const out = await store.putManyIfVersion(ids.map((id) => ({ next: row(id, 1, 3), expectedVersion: 0 })));
    expect(out).toEqual(ids.map((id) => id !== 'c150'));
    const transactions = requests.filter((r) => r.command === 'TransactWriteItemsCommand');
    // The second chunk is cancelled by c150 and sent again without it.
    expect(transactions.map((r) => r.items)).toEqual([100, 100, 99, 30]);
    const stored = await store.getUsers(ids);
    expect(stored.size).toBe(230);
    expect([...stored.values()].filter((u) => u.event_count === 3)).toHaveLength(229);
    expect(stored.get('c150')).toMatchObject({ version: 1, event_count: 1 });
  });

  it('refuses a batch that names one user twice, before writing anything', async () => {
    await expect(
      store.putManyIfVersion([
        { next: row('d1', 1), expectedVersion: 0 },
        { next: row('d1', 1), expectedVersion: 0 },
      ]),
    ).rejects.toThrow('a key appears twice');
    expect(await store.getUser('d1')).toBeUndefined();
  });
});
