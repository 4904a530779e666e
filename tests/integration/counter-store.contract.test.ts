import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCounterStore } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { tableName } from '../../shared/tables';
import { posteriorLedgerKey } from '../../stream-handlers/bandit-posteriors/handler';
import type { FencedWrite } from '../../stream-handlers/common/counter-store';
import { seq } from '../helpers/events';
import { spyOnRequests } from '../helpers/request-spy';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const SHARD = 'shardId-000000000000';
const write = (arm: string, first: number, last: number, impressions = 1): FencedWrite => ({
  write: { key: { arm_id: arm, context: '*' }, add: { impressions }, set: { note: `to-${last}` } },
  fence: { shardId: SHARD, firstSequence: seq(first), lastSequence: seq(last) },
});

describe('CounterStore.addManyOnce on DynamoDB Local (transactions)', () => {
  let dynamo: TestDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  let store: DynamoCounterStore;
  let requests: ReturnType<typeof spyOnRequests>;
  const counter = async (arm: string) =>
    (
      await doc.send(
        new GetCommand({
          TableName: tableName(dynamo.prefix, 'posteriors'),
          Key: { arm_id: arm, context: '*' },
        }),
      )
    ).Item;
  beforeAll(async () => {
    dynamo = await startTestDynamo('counteradds');
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    requests = spyOnRequests(doc);
    store = new DynamoCounterStore(doc, tableName(dynamo.prefix, 'posteriors'), posteriorLedgerKey);
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.stop();
  });

  it('applies every write whose fence is clear, in one transaction', async () => {
    requests.length = 0;
    const out = await store.addManyOnce([write('a1', 1, 3, 3), write('a2', 2, 2, 1)]);
    expect(out).toEqual([{ applied: true }, { applied: true }]);
    expect(requests).toEqual([{ command: 'TransactWriteItemsCommand', items: 2 }]);
    expect(await counter('a1')).toMatchObject({ impressions: 3, note: 'to-3' });
    expect(await counter('a2')).toMatchObject({ impressions: 1, note: 'to-2' });
  });

  it('reports the stored watermark for the one write already past its fence and applies the others once', async () => {
    expect(await store.addOnce(write('b2', 10, 50, 5).write, write('b2', 10, 50).fence)).toEqual({
      applied: true,
    });
    const batch = [write('b1', 40, 60, 2), write('b2', 40, 60, 2), write('b3', 40, 60, 2)];
    requests.length = 0;
    expect(await store.addManyOnce(batch)).toEqual([
      { applied: true },
      { applied: false, watermark: seq(50) },
      { applied: true },
    ]);
    // The watermark came back with the cancellation: no read after it.
    expect(requests.map((r) => r.command)).toEqual([
      'TransactWriteItemsCommand',
      'TransactWriteItemsCommand',
    ]);
    // Redelivered: every fence refuses it and no count moves.
    expect(await store.addManyOnce(batch)).toEqual([
      { applied: false, watermark: seq(60) },
      { applied: false, watermark: seq(50) },
      { applied: false, watermark: seq(60) },
    ]);
    expect(await counter('b1')).toMatchObject({ impressions: 2 });
    expect(await counter('b2')).toMatchObject({ impressions: 5, note: 'to-50' });
    expect(await counter('b3')).toMatchObject({ impressions: 2 });
  });

  it('cuts more than 100 writes into transactions of at most 100', async () => {
    const arms = Array.from({ length: 250 }, (_, i) => `c${i}`);
    requests.length = 0;
    const out = await store.addManyOnce(arms.map((arm, i) => write(arm, 100, 200, i + 1)));
    expect(out.every((o) => o.applied)).toBe(true);
    expect(out).toHaveLength(250);
    expect(requests.map((r) => r.items)).toEqual([100, 100, 50]);
    expect(await counter('c0')).toMatchObject({ impressions: 1 });
    expect(await counter('c149')).toMatchObject({ impressions: 150 });
    expect(await counter('c249')).toMatchObject({ impressions: 250 });
  });

  it('refuses a batch that names one key twice, before writing anything', async () => {
    await expect(store.addManyOnce([write('d1', 1, 1), write('d1', 2, 2)])).rejects.toThrow(
      'a key appears twice',
    );
    expect(await counter('d1')).toBeUndefined();
  });
});
