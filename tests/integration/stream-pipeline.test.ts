import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../../bench/stream/verify';
import {
  type DeadLetterRecord,
  type KinesisHandler,
  startEventSourceMapping,
} from '../../local/kinesis-runner';
import { generateCatalog } from '../../local/seed/catalog';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoCounterStore, type LedgerKey } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { KinesisEventStream } from '../../origin-lambdas/adapters/kinesis-event-stream';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { StreamEvent } from '../../shared/schemas/event';
import { decodeEventRecord } from '../../shared/schemas/event-record';
import { tableName } from '../../shared/tables';
import { createPosteriorsHandler, posteriorLedgerKey } from '../../stream-handlers/bandit-posteriors/handler';
import { createItemLookup } from '../../stream-handlers/common/item-lookup';
import { createTrendingHandler, trendingLedgerKey } from '../../stream-handlers/trending/handler';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import { makeStreamEvent } from '../helpers/events';
import { startTestDynamo, startTestKinesis, type TestDynamo, type TestKinesis } from '../helpers/standins';

describe('stream pipeline: kinesalite -> event source mapping -> handlers -> DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let kinesis: TestKinesis;
  let doc: ReturnType<typeof createDocumentClient>;
  let handlers: Record<string, KinesisHandler>;
  const items = generateCatalog({ items: 24 });

  /** Drains the stream through a fresh mapping per handler (no checkpoint: from TRIM_HORIZON). */
  async function drain(deadLetters: DeadLetterRecord[] = []) {
    for (const [functionName, handler] of Object.entries(handlers)) {
      const mapping = startEventSourceMapping({
        functionName,
        streamName: kinesis.streamName,
        kinesis: kinesis.client,
        handler,
        pollIntervalMs: 3_600_000,
        maxRetryAttempts: 2,
        deadLetter: { put: async (r) => void deadLetters.push(...r) },
      });
      for (let empty = 0; empty < 2; ) empty = (await mapping.pollOnce()).fetched === 0 ? empty + 1 : 0;
      await mapping.stop();
    }
    return deadLetters;
  }

  beforeAll(async () => {
    [dynamo, kinesis] = await Promise.all([startTestDynamo('pipeline'), startTestKinesis('pipeline', 1)]);
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    const catalog = new DynamoItemCatalog(doc, dynamo.prefix);
    // A schema-valid event about this item fails on every delivery: its vector has the wrong size.
    await catalog.putItems([...items, { ...items[0]!, item_id: 'poison', embedding: [1, 0, 0] }]);
    const counters = (key: 'posteriors' | 'trending', ledger: LedgerKey) =>
      new DynamoCounterStore(doc, tableName(dynamo.prefix, key), ledger);
    handlers = {
      'user-state': createUserStateHandler({
        users: new DynamoUserStateStore(doc, dynamo.prefix),
        items: createItemLookup(catalog),
        changes: new DynamoChangeFeed(doc, dynamo.prefix),
      }),
      'bandit-posteriors': createPosteriorsHandler({ counters: counters('posteriors', posteriorLedgerKey) }),
      trending: createTrendingHandler({
        counters: counters('trending', trendingLedgerKey),
        items: createItemLookup(catalog),
      }),
    };
  });
  afterAll(async () => {
    doc?.destroy();
    await Promise.all([dynamo?.stop(), kinesis?.stop()]);
  });

  it('dead-letters a poison record after bounded retries without blocking the shard; a replay changes nothing', async () => {
    const ids = items.map((i) => i.item_id);
    const ev = (user_id: string, item_id: string, extra: Partial<StreamEvent> = {}) =>
      makeStreamEvent({ user_id, item_id, type: 'click', ...extra });
    const events = [
      ev('p1', ids[0]!),
      ev('p1', 'poison'),
      ev('p1', ids[1]!),
      ev('p2', ids[2]!),
      ev('p2', ids[3]!, { type: 'impression', decision_id: 'd1' }),
      ev('p2', ids[3]!, { decision_id: 'd1' }),
    ];
    const stream = new KinesisEventStream({ client: kinesis.client, streamName: kinesis.streamName });
    // p1's events come one request each, so each is a record of its own (packing is the next test).
    for (const e of events.slice(0, 3)) expect((await stream.putEvents([e])).accepted).toBe(1);
    expect((await stream.putEvents(events.slice(3))).accepted).toBe(3);
    // The same event sent twice by a client: a second record with the same id.
    await stream.putEvents([events[3]!]);

    const deadLetters = await drain();
    expect(
      deadLetters.map((d) => [d.functionName, JSON.parse(Buffer.from(d.data, 'base64').toString()).item_id]),
    ).toEqual([['user-state', 'poison']]);
    const users = new DynamoUserStateStore(doc, dynamo.prefix);
    // The poison's later sibling was applied once the poison was out of the way.
    expect(await users.getUser('p1')).toMatchObject({ event_count: 2, recent_items: [ids[1], ids[0]] });
    expect(await users.getUser('p2')).toMatchObject({ event_count: 3 });

    const before = await snapshot(doc, dynamo.prefix);
    const again = await drain();
    // The poison sits below p1's watermark now: the replay skips it (re-driving it is the DLQ's job).
    expect(again).toEqual([]);
    expect(await snapshot(doc, dynamo.prefix)).toBe(before);
  });

  it('a poison event dead-letters its packed record with the events after it; those before it apply once', async () => {
    const ids = items.map((i) => i.item_id);
    const stream = new KinesisEventStream({ client: kinesis.client, streamName: kinesis.streamName });
    const packed = ['p4', 'poison', 'p4-after'].map((tag, i) =>
      makeStreamEvent({ user_id: 'p4', item_id: tag === 'poison' ? 'poison' : ids[8 + i]!, type: 'click' }),
    );
    // One request: p4's three events travel as one record.
    expect(await stream.putEvents(packed)).toEqual({ accepted: 3, failedIndexes: [] });

    const mine = (await drain()).filter(
      (d) => d.functionName === 'user-state' && decodeEventRecord(Buffer.from(d.data, 'base64')).length > 1,
    );
    expect(mine).toHaveLength(1);
    const carried = decodeEventRecord(Buffer.from(mine[0]!.data, 'base64')) as StreamEvent[];
    expect(carried.map((e) => e.event_id)).toEqual(packed.map((e) => e.event_id));
    const users = new DynamoUserStateStore(doc, dynamo.prefix);
    // The event before the poison is applied; the record stops there, and so does the watermark.
    expect(await users.getUser('p4')).toMatchObject({ event_count: 1, recent_items: [ids[8]] });

    // A later event moves p4 past the dead-lettered record: it applies once, and replays skip the rest.
    await stream.putEvents([makeStreamEvent({ user_id: 'p4', item_id: ids[11]!, type: 'click' })]);
    await drain();
    expect(await users.getUser('p4')).toMatchObject({ event_count: 2, recent_items: [ids[11], ids[8]] });
    const before = await snapshot(doc, dynamo.prefix);
    expect(await drain()).toEqual([]);
    expect(await snapshot(doc, dynamo.prefix)).toBe(before);
  });

  it('a throwing handler invocation is retried and the records still apply once', async () => {
    let calls = 0;
    const inner = handlers['user-state']!;
    const flaky: KinesisHandler = async (event: KinesisStreamEvent, context: Context) => {
      const out = await inner(event, context);
      if (calls++ === 0) throw new Error('crash after writing');
      return out;
    };
    const stream = new KinesisEventStream({ client: kinesis.client, streamName: kinesis.streamName });
    await stream.putEvents([makeStreamEvent({ user_id: 'p3', item_id: items[5]!.item_id })]);
    const mapping = startEventSourceMapping({
      functionName: 'flaky',
      streamName: kinesis.streamName,
      kinesis: kinesis.client,
      handler: flaky,
      pollIntervalMs: 3_600_000,
      deadLetter: { put: async () => undefined },
    });
    await mapping.pollOnce();
    await mapping.stop();
    // The crashed invocation is retried (bisected into halves), and the event still counts once.
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(await new DynamoUserStateStore(doc, dynamo.prefix).getUser('p3')).toMatchObject({
      event_count: 1,
    });
  });
});
