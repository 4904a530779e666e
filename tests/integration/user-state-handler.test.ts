import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { UserState, UserStateStore } from '../../shared/ports/user-state-store';
import { idDigest, packDigests, unpackDigests } from '../../stream-handlers/common/event-digest';
import { WRITE_MODES } from '../../stream-handlers/common/write-mode';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import type { UserProfile } from '../../stream-handlers/user-state/profile';
import { decodeProfile, encodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { kinesisEvent, kinesisRecord, makeStreamEvent, seq } from '../helpers/events';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const context = { functionName: 'user-state', awsRequestId: 'test' } as Context;

describe('user-state stream handler on DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let store: DynamoUserStateStore;
  let handler: ReturnType<typeof createUserStateHandler>;
  beforeAll(async () => {
    dynamo = await startTestDynamo('userstate');
    store = new DynamoUserStateStore(
      createDocumentClient({ endpoint: dynamo.standIn.endpoint }),
      dynamo.prefix,
    );
    handler = createUserStateHandler({ users: store });
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('applies a batch with one write per user and changes the stored item', async () => {
    const a1 = makeStreamEvent({ user_id: 'ua', item_id: 'i1', type: 'view' });
    const a2 = makeStreamEvent({ user_id: 'ua', item_id: 'i2', type: 'click' });
    const b1 = makeStreamEvent({ user_id: 'ub', item_id: 'i3', type: 'purchase' });
    const out = await handler(
      kinesisEvent([
        kinesisRecord(a1, seq(1), 'ua'),
        kinesisRecord(b1, seq(2), 'ub'),
        kinesisRecord(a2, seq(3), 'ua'),
      ]),
      context,
    );
    expect(out.batchItemFailures).toEqual([]);
    expect(await store.getUser('ua')).toMatchObject({
      event_count: 2,
      recent_items: ['i2', 'i1'],
      watermark: seq(3),
      version: 1,
    });
    expect(await store.getUser('ub')).toMatchObject({ event_count: 1, recent_items: ['i3'], version: 1 });
  });

  it('changes nothing when the same batch is delivered again', async () => {
    const e = makeStreamEvent({ user_id: 'uc', item_id: 'x' });
    const batch = kinesisEvent([kinesisRecord(e, seq(10), 'uc')]);
    await handler(batch, context);
    const before = await store.getUser('uc');
    await handler(batch, context);
    expect(await store.getUser('uc')).toEqual(before);
    expect(before?.event_count).toBe(1);
  });

  it('stores the recent event ids as one binary of 9-byte digests', async () => {
    const e1 = makeStreamEvent({ user_id: 'udig', item_id: 'x' });
    const e2 = makeStreamEvent({ user_id: 'udig', item_id: 'y' });
    await handler(
      kinesisEvent([kinesisRecord(e1, seq(12), 'udig'), kinesisRecord(e2, seq(13), 'udig')]),
      context,
    );
    const row = await store.getUser('udig');
    expect(row?.recent_event_digests).toBeInstanceOf(Uint8Array);
    expect(row?.recent_event_digests?.byteLength).toBe(18);
    expect(unpackDigests(row?.recent_event_digests)).toEqual([idDigest(e1.event_id), idDigest(e2.event_id)]);
  });

  it('a row written with raw event ids still stops a client retry of one of them, and is rewritten with digests', async () => {
    const old = makeStreamEvent({ user_id: 'ulegacy', item_id: 'old' });
    const legacy = {
      user_id: 'ulegacy',
      event_count: 2,
      recent_items: ['old'],
      recent_event_ids: ['00000000-0000-4000-8000-0000000000aa', old.event_id],
      watermark: seq(30),
      version: 1,
    } as unknown as UserState;
    expect(await store.putIfVersion(legacy, 0)).toBe(true);
    const fresh = makeStreamEvent({ user_id: 'ulegacy', item_id: 'new', type: 'view' });
    // The retry is a separate record (a new sequence number), so only the id can stop it.
    const out = await handler(
      kinesisEvent([kinesisRecord(old, seq(31), 'ulegacy'), kinesisRecord(fresh, seq(32), 'ulegacy')]),
      context,
    );
    expect(out.batchItemFailures).toEqual([]);
    const row = await store.getUser('ulegacy');
    expect(row).toMatchObject({
      event_count: 3,
      recent_items: ['new', 'old'],
      watermark: seq(32),
      version: 2,
    });
    expect(row).not.toHaveProperty('recent_event_ids');
    expect(unpackDigests(row?.recent_event_digests)).toEqual(
      ['00000000-0000-4000-8000-0000000000aa', old.event_id, fresh.event_id].map(idDigest),
    );
    await handler(kinesisEvent([kinesisRecord(old, seq(33), 'ulegacy')]), context);
    expect((await store.getUser('ulegacy'))?.event_count).toBe(3);
  });

  it('reports an undecodable record as a batch item failure and commits the rest', async () => {
    const good = makeStreamEvent({ user_id: 'ud', item_id: 'y' });
    const out = await handler(
      kinesisEvent([kinesisRecord('{not json', seq(20), 'ud'), kinesisRecord(good, seq(21), 'ud')]),
      context,
    );
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: seq(20) }]);
    expect((await store.getUser('ud'))?.recent_items).toEqual(['y']);
  });

  it('an out-of-order older batch does not move state backwards', async () => {
    const newer = makeStreamEvent({ user_id: 'ue', item_id: 'new' });
    const older = makeStreamEvent({ user_id: 'ue', item_id: 'old' });
    await handler(kinesisEvent([kinesisRecord(newer, seq(31), 'ue')]), context);
    await handler(kinesisEvent([kinesisRecord(older, seq(30), 'ue')]), context);
    expect(await store.getUser('ue')).toMatchObject({
      recent_items: ['new'],
      event_count: 1,
      watermark: seq(31),
    });
  });

  it.each(WRITE_MODES)(
    'a lost concurrency race re-reads and applies on top of the winner (%s)',
    async (mode) => {
      const user = `uf-${mode}`;
      const e1 = makeStreamEvent({ user_id: user, item_id: 'first' });
      await handler(kinesisEvent([kinesisRecord(e1, seq(40), user)]), context);
      // A second writer lands between this handler's read and its write, exactly once.
      let raced = false;
      const winnerLands = async () => {
        if (raced) return;
        raced = true;
        const winner = (await store.getUser(user))!;
        await store.putIfVersion(
          { ...winner, recent_items: ['winner', ...winner.recent_items], version: winner.version + 1 },
          winner.version,
        );
      };
      const racing: UserStateStore = {
        getUser: (id) => store.getUser(id),
        getUsers: (ids) => store.getUsers(ids),
        health: () => store.health(),
        async putIfVersion(next, expected) {
          await winnerLands();
          return store.putIfVersion(next, expected);
        },
        async putManyIfVersion(entries) {
          await winnerLands();
          return store.putManyIfVersion(entries);
        },
      };
      const e2 = makeStreamEvent({ user_id: user, item_id: 'second' });
      const out = await createUserStateHandler({ users: racing, writeMode: mode })(
        kinesisEvent([kinesisRecord(e2, seq(41), user)]),
        context,
      );
      expect(out.batchItemFailures).toEqual([]);
      expect(await store.getUser(user)).toMatchObject({
        recent_items: ['second', 'winner', 'first'],
        event_count: 2,
        version: 3,
      });
    },
  );

  it("stores a profile whose decayed weights fell below DynamoDB's smallest number", async () => {
    // A long absence decays affinities and counts to ~1e-200; DynamoDB refuses numbers under
    // 1e-130 ("Number underflow"), which used to dead-letter every later event of the user.
    const profile: UserProfile = {
      user_id: 'long-gone',
      version: 0,
      event_count: 3,
      recent_items: ['i1'],
      recent_event_digests: packDigests([idDigest('e1')]),
      watermark: seq(1),
      updated_at: '2026-11-24T00:00:00.000Z',
      affinities: { scores: { books: 1e-200, music: 0.5 }, at: 1 },
      mood: [1e-300, 0.25, 0, 0],
      sessions: {
        s1: {
          started_at: '2020-01-01T00:00:00.000Z',
          last_event_at: '2020-01-01T00:10:00.000Z',
          event_count: 1,
          recent_items: ['i1'],
          vector: [0.5, 0.5],
          category_counts: { books: 1e-150, music: 2 },
        },
      },
    };
    expect(await store.putIfVersion(encodeProfile(profile), 0)).toBe(true);
    const back = decodeProfile(await store.getUser('long-gone'));
    expect(back?.affinities?.scores).toEqual({ music: 0.5 });
    expect(back?.mood).toEqual([0, 0.25, 0, 0]);
    expect(back?.sessions?.s1?.category_counts).toEqual({ music: 2 });
  });
});
