import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldHistory } from '../../local/training/histories';
import { syntheticDataset } from '../../local/training/synthetic';
import { type AttuneModel, trainAttune } from '../../local/training/train-model';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { StreamEvent } from '../../shared/schemas/event';
import { createItemLookup, type ItemFacts } from '../../stream-handlers/common/item-lookup';
import { applyUserEvents } from '../../stream-handlers/user-state/apply';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import { decodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { kinesisEvent, kinesisRecord, seq } from '../helpers/events';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

/**
 * The sequential evaluation applies interactions in process with the stream handler's own
 * `applyUserEvents`. This checks, on a sample, that the deployed path (the Lambda shell, item
 * lookup from DynamoDB, the user row in DynamoDB) ends in the same taste and recent items.
 */
const context = { functionName: 'user-state', awsRequestId: 'parity' } as Context;
const data = syntheticDataset({ users: 8, perUser: 10, seed: 6 });
let dynamo: TestDynamo;
let model: AttuneModel;
let store: DynamoUserStateStore;

beforeAll(async () => {
  dynamo = await startTestDynamo('parity');
  const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
  model = trainAttune(data.interactions, { als: { factors: 6, iterations: 3 }, meta: data.items });
  const catalog = new DynamoItemCatalog(doc, dynamo.prefix);
  await catalog.putItems(model.items);
  store = new DynamoUserStateStore(doc, dynamo.prefix);
}, 60_000);

afterAll(async () => {
  await dynamo?.stop();
});

describe('sequential evaluation vs the deployed stream path', () => {
  it('ends in the same taste and recent items as the Lambda handler on DynamoDB Local', async () => {
    const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    const handler = createUserStateHandler({
      users: store,
      items: createItemLookup(new DynamoItemCatalog(doc, dynamo.prefix)),
    });
    let n = 0;
    const byUser = new Map<string, { event: StreamEvent; sequenceNumber: string }[]>();
    for (const x of [...data.interactions].sort((a, b) => a.at - b.at)) {
      n++;
      const ts = new Date(x.at).toISOString();
      const event: StreamEvent = {
        event_id: `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`,
        user_id: x.user,
        session_id: 's',
        type: 'rating',
        item_id: x.item,
        rating: x.value,
        ts,
        received_at: ts,
      };
      byUser.set(x.user, [...(byUser.get(x.user) ?? []), { event, sequenceNumber: seq(n) }]);
    }
    const records = [...byUser.values()]
      .flat()
      .map((d) => kinesisRecord(d.event, d.sequenceNumber, d.event.user_id));
    const out = await handler(kinesisEvent(records), context);
    expect(out.batchItemFailures).toEqual([]);

    const k = model.dimensions;
    const facts = new Map<string, ItemFacts>(
      model.items.map((it) => [it.item_id, { category: it.category, embedding: it.embedding }]),
    );
    for (const [user, delivered] of byUser) {
      const stored = decodeProfile(await store.getUser(user));
      const inProcess = applyUserEvents(user, undefined, delivered, { items: facts });
      const training = foldHistory(model.histories.get(user) ?? [], model.vectors, k);
      expect(stored?.recent_items).toEqual(inProcess?.recent_items);
      const got = stored?.taste?.sum ?? [];
      expect(got).toHaveLength(k);
      got.forEach((v, d) => {
        expect(v).toBeCloseTo(inProcess?.taste?.sum[d] as number, 4);
        expect(v).toBeCloseTo(training?.sum[d] as number, 4);
      });
    }
  });
});
