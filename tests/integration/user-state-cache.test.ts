import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { UserStateStore, VersionedPut } from '../../shared/ports/user-state-store';
import { WRITE_MODES } from '../../stream-handlers/common/write-mode';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import { UserStateCache } from '../../stream-handlers/user-state/state-cache';
import { kinesisEvent, kinesisRecord, makeStreamEvent, seq } from '../helpers/events';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const context = { functionName: 'user-state', awsRequestId: 'test' } as Context;

/** The real store, counting the users it reads, and able to crash a batched write part-way. */
function instrumented(store: UserStateStore) {
  const state = { reads: [] as string[], crashAfter: undefined as number | undefined };
  const users: UserStateStore = {
    getUser: (id) => {
      state.reads.push(id);
      return store.getUser(id);
    },
    getUsers: (ids) => {
      state.reads.push(...ids);
      return store.getUsers(ids);
    },
    health: () => store.health(),
    putIfVersion: (next, expected) => store.putIfVersion(next, expected),
    putManyIfVersion: async (entries: readonly VersionedPut[]) => {
      if (state.crashAfter === undefined) return store.putManyIfVersion(entries);
      // Some writes land, then the invocation dies: the outcome of the rest is unknown to it.
      await store.putManyIfVersion(entries.slice(0, state.crashAfter));
      state.crashAfter = undefined;
      throw new Error('crashed mid-batch');
    },
  };
  return { users, state };
}

describe('user-state handler with the per-container row cache, on DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let store: DynamoUserStateStore;
  beforeAll(async () => {
    dynamo = await startTestDynamo('usercache');
    store = new DynamoUserStateStore(
      createDocumentClient({ endpoint: dynamo.standIn.endpoint }),
      dynamo.prefix,
    );
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it.each(WRITE_MODES)(
    'reads a recurring user once; a row changed behind the cache loses the race and is read again (%s)',
    async (mode) => {
      const user = `ug-${mode}`;
      const { users, state } = instrumented(store);
      const handler = createUserStateHandler({ users, cache: new UserStateCache(), writeMode: mode });
      const batch = (item: string, n: number) =>
        kinesisEvent([kinesisRecord(makeStreamEvent({ user_id: user, item_id: item }), seq(n), user)]);
      await handler(batch('one', 50), context);
      await handler(batch('two', 51), context);
      expect(state.reads).toEqual([user]);
      // Another writer moves the row on; this container's cache does not know.
      const row = (await store.getUser(user))!;
      await store.putIfVersion(
        { ...row, recent_items: ['other', ...row.recent_items], version: row.version + 1 },
        row.version,
      );
      expect((await handler(batch('three', 52), context)).batchItemFailures).toEqual([]);
      expect(state.reads).toEqual([user, user]);
      expect(await store.getUser(user)).toMatchObject({
        recent_items: ['three', 'other', 'two', 'one'],
        event_count: 3,
        watermark: seq(52),
        version: 4,
      });
    },
  );

  it('after a crash part-way through a batch, the redelivered batch is applied exactly once', async () => {
    const { users, state } = instrumented(store);
    const handler = createUserStateHandler({ users, cache: new UserStateCache() });
    const first = ['c1', 'c2'].map((u, i) =>
      kinesisRecord(makeStreamEvent({ user_id: u, item_id: `a-${u}` }), seq(60 + i), u),
    );
    await handler(kinesisEvent(first), context);
    const second = kinesisEvent(
      ['c1', 'c2'].map((u, i) =>
        kinesisRecord(makeStreamEvent({ user_id: u, item_id: `b-${u}` }), seq(70 + i), u),
      ),
    );
    state.crashAfter = 1;
    // Every record of the batch failed, so the whole invocation fails and Lambda redelivers it.
    await expect(handler(second, context)).rejects.toThrow(/All records failed/);
    // One user's write landed and one did not; the container knows neither, so it reads both.
    state.reads.length = 0;
    expect((await handler(second, context)).batchItemFailures).toEqual([]);
    expect(state.reads.sort()).toEqual(['c1', 'c2']);
    for (const u of ['c1', 'c2'])
      expect(await store.getUser(u)).toMatchObject({
        event_count: 2,
        recent_items: [`b-${u}`, `a-${u}`],
        watermark: seq(u === 'c1' ? 70 : 71),
        version: 2,
      });
  });

  it('a replay of everything from the start changes nothing', async () => {
    const { users } = instrumented(store);
    const handler = createUserStateHandler({ users, cache: new UserStateCache() });
    const batches = [0, 1, 2].map((b) =>
      kinesisEvent(
        ['r1', 'r2'].map((u, i) =>
          kinesisRecord(makeStreamEvent({ user_id: u, item_id: `i${b}` }), seq(80 + b * 2 + i), u),
        ),
      ),
    );
    for (const b of batches) await handler(b, context);
    const before = await store.getUsers(['r1', 'r2']);
    for (const b of batches) expect((await handler(b, context)).batchItemFailures).toEqual([]);
    expect(await store.getUsers(['r1', 'r2'])).toEqual(before);
    expect(before.get('r1')).toMatchObject({ event_count: 3, version: 3 });
  });
});
