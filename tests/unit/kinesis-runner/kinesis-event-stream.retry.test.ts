import type { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import {
  chunkForPutRecords,
  KinesisEventStream,
  putRecordsWithRetry,
} from '../../../origin-lambdas/adapters/kinesis-event-stream';
import type { StreamEvent } from '../../../shared/schemas/event';
import { decodeEventRecord } from '../../../shared/schemas/event-record';

const event = (i: number, user = `u${i % 3}`): StreamEvent => ({
  event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  user_id: user,
  session_id: 's1',
  type: 'click',
  item_id: `item-${i}`,
  ts: '2024-05-01T10:00:00.000Z',
  received_at: '2024-05-01T10:00:00.100Z',
});

/** A PutRecords stub that rejects the records whose item is in `reject` as long as their budget lasts. */
function stubClient(reject: Map<string, number>) {
  const calls: string[][] = [];
  const client = {
    async send(cmd: PutRecordsCommand) {
      // A record is named by its events' items: `item-0+item-3` for a packed one.
      const items = (cmd.input.Records ?? []).map((r) =>
        (decodeEventRecord(r.Data as Uint8Array) as StreamEvent[]).map((e) => e.item_id).join('+'),
      );
      calls.push(items);
      const results = items.map((item) => {
        const left = reject.get(item) ?? 0;
        if (left <= 0) return { SequenceNumber: '1', ShardId: 'shardId-0' };
        reject.set(item, left - 1);
        return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' };
      });
      return { FailedRecordCount: results.filter((r) => r.ErrorCode).length, Records: results };
    },
  };
  return { client: client as unknown as KinesisClient, calls };
}

describe('KinesisEventStream retries', () => {
  it('retries only the rejected records, with jittered exponential backoff', async () => {
    const { client, calls } = stubClient(
      new Map([
        ['item-1', 1],
        ['item-3', 2],
      ]),
    );
    const sleeps: number[] = [];
    const stream = new KinesisEventStream({
      client,
      streamName: 's',
      baseDelayMs: 100,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const events = [0, 1, 2, 3, 4].map((i) => event(i, `u${i}`));

    const res = await stream.putEvents(events);

    expect(res).toEqual({ accepted: 5, failedIndexes: [] });
    expect(calls).toEqual([
      ['item-0', 'item-1', 'item-2', 'item-3', 'item-4'],
      ['item-1', 'item-3'],
      ['item-3'],
    ]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThan(200);
    expect(sleeps[1]).toBeLessThan(400);
  });

  it('reports the input indexes still rejected after maxAttempts', async () => {
    const { client, calls } = stubClient(new Map([['item-2', 99]]));
    const stream = new KinesisEventStream({ client, streamName: 's', maxAttempts: 3, sleep: async () => {} });

    const res = await stream.putEvents([0, 1, 2, 3].map((i) => event(i, `u${i}`)));

    expect(res).toEqual({ accepted: 3, failedIndexes: [2] });
    expect(calls.slice(1)).toEqual([['item-2'], ['item-2']]);
  });

  it("packs one key's events into one record, and a rejected record fails every event it carries", async () => {
    // Users u0, u1, u2, u0, u1, u2, u0: u0's three events share a record.
    const { client, calls } = stubClient(new Map([['item-1+item-4', 99]]));
    const stream = new KinesisEventStream({ client, streamName: 's', maxAttempts: 2, sleep: async () => {} });

    const res = await stream.putEvents([0, 1, 2, 3, 4, 5, 6].map((i) => event(i)));

    expect(calls[0]).toEqual(['item-0+item-3+item-6', 'item-1+item-4', 'item-2+item-5']);
    expect(calls[1]).toEqual(['item-1+item-4']);
    expect(res).toEqual({ accepted: 5, failedIndexes: [1, 4] });
  });

  it('uses full jitter: the wait is random() times the capped exponential', async () => {
    const { client } = stubClient(new Map([['item-0', 3]]));
    const sleeps: number[] = [];
    const records = [{ data: new TextEncoder().encode(JSON.stringify(event(0))), partitionKey: 'u0' }];
    await putRecordsWithRetry(client, 's', records, {
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(sleeps).toEqual([100, 150, 150]);
  });

  it('fails a whole chunk at once on an error no retry can fix', async () => {
    let sends = 0;
    const client = {
      async send() {
        sends++;
        throw Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' });
      },
    } as unknown as KinesisClient;
    const stream = new KinesisEventStream({ client, streamName: 'gone', sleep: async () => {} });
    expect(await stream.putEvents([event(0), event(1)])).toEqual({ accepted: 0, failedIndexes: [0, 1] });
    expect(sends).toBe(1);
  });
});

describe('chunkForPutRecords', () => {
  const rec = (bytes: number, key = 'k') => ({ data: new Uint8Array(bytes), partitionKey: key });

  it('cuts at 500 records', () => {
    const chunks = chunkForPutRecords(Array.from({ length: 1001 }, () => rec(10)));
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 1]);
    expect(chunks[1]![0]).toBe(500);
  });

  it('cuts before the request would pass the byte limit, counting partition keys', () => {
    const chunks = chunkForPutRecords([rec(6, 'ab'), rec(1, 'a'), rec(1, 'a'), rec(9)], {
      maxRecords: 500,
      maxBytes: 10,
    });
    expect(chunks).toEqual([[0, 1], [2], [3]]);
  });
});
