import { randomUUID } from 'node:crypto';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureStream } from '../../local/standins/tables';
import { KinesisEventStream } from '../../origin-lambdas/adapters/kinesis-event-stream';
import { partitionKeyOf, type StreamEvent } from '../../shared/schemas/event';
import { decodeEventRecord } from '../../shared/schemas/event-record';
import { startTestKinesis, type TestKinesis } from '../helpers/standins';

const event = (i: number, user: string): StreamEvent => ({
  event_id: randomUUID(),
  user_id: user,
  session_id: `sess-${user}`,
  type: 'view',
  item_id: `item-${i}`,
  position: i,
  ts: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString(),
  received_at: new Date(Date.UTC(2024, 4, 1, 10, 0, 1, i)).toISOString(),
});

/** Every event of every record of every shard, with the shard it was read from and its record's size. */
async function readAll(client: KinesisClient, streamName: string) {
  const shards = (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const out: { shardId: string; key: string; event: StreamEvent; packed: number }[] = [];
  for (const s of shards) {
    let it = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: s.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (it) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
      for (const r of page.Records ?? []) {
        const events = decodeEventRecord(r.Data!) as StreamEvent[];
        for (const e of events)
          out.push({ shardId: s.ShardId!, key: r.PartitionKey!, event: e, packed: events.length });
      }
      it = page.Records?.length ? page.NextShardIterator : undefined;
    }
  }
  return out;
}

describe('EventStream contract: KinesisEventStream on kinesalite', () => {
  let kinesis: TestKinesis;
  beforeAll(async () => {
    kinesis = await startTestKinesis('contract-events', 4);
    await ensureStream(kinesis.client, 'contract-big', 2);
  });
  afterAll(async () => {
    await kinesis?.stop();
  });

  it('stores a batch once each, one user per shard, in order', async () => {
    const stream = new KinesisEventStream({ client: kinesis.client, streamName: 'contract-events' });
    const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const events = Array.from({ length: 40 }, (_, i) => event(i, users[i % users.length]!));

    const res = await stream.putEvents(events);

    expect(res).toEqual({ accepted: 40, failedIndexes: [] });
    const read = await readAll(kinesis.client, 'contract-events');
    expect(read.map((r) => r.event.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    expect(read.find((r) => r.event.event_id === events[7]!.event_id)?.event).toEqual(events[7]);
    for (const user of users) {
      const mine = read.filter((r) => r.event.user_id === user);
      expect(new Set(mine.map((r) => r.shardId)).size).toBe(1);
      expect(mine.every((r) => r.key === partitionKeyOf({ user_id: user }))).toBe(true);
      expect(mine.map((r) => r.event.position)).toEqual(
        events.filter((e) => e.user_id === user).map((e) => e.position),
      );
      // One user's eight events of the request travel as one record.
      expect(mine.every((r) => r.packed === 8)).toBe(true);
    }
  });

  it('splits a batch of 600 into requests Kinesis accepts', async () => {
    const stream = new KinesisEventStream({ client: kinesis.client, streamName: 'contract-big' });
    // 600 users: one record each, more than one PutRecords request takes.
    const events = Array.from({ length: 600 }, (_, i) => event(i, `user-${i}`));
    const send = vi.spyOn(kinesis.client, 'send');

    const res = await stream.putEvents(events);

    const sizes = send.mock.calls.map(([cmd]) => (cmd.input as { Records?: unknown[] }).Records?.length);
    send.mockRestore();
    expect(sizes).toEqual([500, 100]);
    expect(res).toEqual({ accepted: 600, failedIndexes: [] });
    const read = await readAll(kinesis.client, 'contract-big');
    expect(read).toHaveLength(600);
    expect(new Set(read.map((r) => r.event.event_id)).size).toBe(600);
  });

  it('reports healthy for an active stream', async () => {
    const health = await new KinesisEventStream({
      client: kinesis.client,
      streamName: 'contract-events',
    }).health();
    expect(health).toEqual({ ok: true, detail: 'stream contract-events ACTIVE, 4 open shards' });
  });

  it('reports unhealthy for a missing stream, and rejects every event put on it', async () => {
    const stream = new KinesisEventStream({
      client: kinesis.client,
      streamName: 'no-such-stream',
      maxAttempts: 2,
    });
    const health = await stream.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('ResourceNotFoundException');
    expect(await stream.putEvents([event(1, 'alice'), event(2, 'bob')])).toEqual({
      accepted: 0,
      failedIndexes: [0, 1],
    });
  });
});
