import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../local/seed/catalog';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoCounterStore } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoPosteriorReader } from '../../origin-lambdas/adapters/dynamodb-posterior-reader';
import { DynamoTrendingReader } from '../../origin-lambdas/adapters/dynamodb-trending-reader';
import { CampaignStore } from '../../origin-lambdas/admin/campaigns/store';
import { assignVariant } from '../../origin-lambdas/admin/experiments/bucketing';
import { experimentResults } from '../../origin-lambdas/admin/experiments/results';
import { runningExperiments } from '../../origin-lambdas/admin/experiments/running';
import type { Experiment } from '../../origin-lambdas/admin/experiments/schemas';
import { ExperimentStore } from '../../origin-lambdas/admin/experiments/store';
import type { PosteriorRow } from '../../origin-lambdas/admin/stats/posteriors';
import { capFacet, profileFromRows } from '../../origin-lambdas/admin/users/profile';
import { ineligibility } from '../../origin-lambdas/admin/users/targeting';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { AttuneEvent } from '../../shared/schemas/event';
import { encodeEventRecords } from '../../shared/schemas/event-record';
import { tableName } from '../../shared/tables';
import { campaignTimeZones, capLedgerKey } from '../../stream-handlers/bandit-posteriors/cap-rows';
import { createPosteriorsHandler, posteriorLedgerKey } from '../../stream-handlers/bandit-posteriors/handler';
import type { CounterStore } from '../../stream-handlers/common/counter-store';
import { createItemLookup } from '../../stream-handlers/common/item-lookup';
import { createTrendingHandler, trendingLedgerKey } from '../../stream-handlers/trending/handler';
import { kinesisEvent, kinesisRecord, makeEvent, seq } from '../helpers/events';
import { campaignFor } from '../helpers/origin-stack';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const context = { functionName: 'counters', awsRequestId: 'test' } as Context;
const NOW = Date.now();
const at = new Date(NOW).toISOString();

/** A decision log: campaign views with decision ids, a known subset of them clicked. */
function decisionLog(decisions: number, prefix = '') {
  const events: AttuneEvent[] = [];
  const expected = new Map<string, { rewarded: number; unrewarded: number }>();
  for (let d = 0; d < decisions; d++) {
    const campaign_id = `${prefix}camp-${d % 3}`;
    const base = {
      user_id: `u${d % 7}`,
      campaign_id,
      decision_id: `${prefix}dec-${d}`,
      ts: at,
      context: { device: 'mobile' as const },
    };
    events.push(makeEvent({ ...base, type: 'campaign_view', item_id: undefined }));
    const rewarded = d % 4 === 0 || d % 5 === 0;
    if (rewarded) events.push(makeEvent({ ...base, type: 'campaign_click', item_id: undefined }));
    const e = expected.get(campaign_id) ?? { rewarded: 0, unrewarded: 0 };
    if (rewarded) e.rewarded++;
    else e.unrewarded++;
    expected.set(campaign_id, e);
  }
  return { events, expected };
}

describe('exactly-once counters on DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  let posteriors: DynamoCounterStore;
  let n = 0;
  const records = (events: AttuneEvent[], shard = 'shardId-000000000001') =>
    events.map((e) => {
      const r = kinesisRecord({ ...e, received_at: at }, seq(++n), e.user_id);
      return { ...r, eventID: `${shard}:${r.kinesis.sequenceNumber}` } as KinesisStreamRecord;
    });
  /** Records as the ingest writes them: each request of `perRequest` events packed per user. */
  const packedRecords = (events: AttuneEvent[], perRequest: number, shard = 'shardId-000000000002') => {
    const out: KinesisStreamRecord[] = [];
    for (let i = 0; i < events.length; i += perRequest) {
      const request = events.slice(i, i + perRequest).map((e) => ({ ...e, received_at: at }));
      for (const r of encodeEventRecords(request)) {
        const rec = kinesisRecord(new TextDecoder().decode(r.data), seq(++n), r.partitionKey);
        out.push({ ...rec, eventID: `${shard}:${rec.kinesis.sequenceNumber}` } as KinesisStreamRecord);
      }
    }
    return out;
  };
  const posterior = async (arm: string, ctx: string) =>
    (
      await doc.send(
        new GetCommand({
          TableName: tableName(dynamo.prefix, 'posteriors'),
          Key: { arm_id: arm, context: ctx },
        }),
      )
    ).Item;

  beforeAll(async () => {
    dynamo = await startTestDynamo('counters');
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    posteriors = new DynamoCounterStore(doc, tableName(dynamo.prefix, 'posteriors'), posteriorLedgerKey);
    await new DynamoItemCatalog(doc, dynamo.prefix).putItems(generateCatalog({ items: 24 }));
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('posterior counts equal rewarded and unrewarded decisions despite redelivery, retries and a crash', async () => {
    const { events, expected } = decisionLog(60);
    const changes = new DynamoChangeFeed(doc, dynamo.prefix);
    const handler = createPosteriorsHandler({ counters: posteriors, changes });
    const recs = records(events);
    const half = Math.floor(recs.length / 2);
    // A handler that crashes after its first counter write: part of the batch lands, then it throws.
    let writes = 0;
    const crashing: CounterStore = {
      getLedger: (s) => posteriors.getLedger(s),
      putLedger: (l, v) => posteriors.putLedger(l, v),
      async addOnce(w, f) {
        if (writes++ >= 1) throw new Error('crash');
        return posteriors.addOnce(w, f);
      },
      // A transaction of several keys crashes after writing the first of them.
      async addManyOnce(ws) {
        const out = await posteriors.addManyOnce(ws.slice(0, 1));
        writes += ws.length;
        if (ws.length > 1) throw new Error('crash');
        return out;
      },
    };
    // Every record is behind the first failed key, so the whole batch fails, as a crash would.
    await expect(
      createPosteriorsHandler({ counters: crashing })(kinesisEvent(recs.slice(0, half)), context),
    ).rejects.toThrow('All records failed');
    expect(writes).toBeGreaterThan(1);
    // Redelivery of the first half, then the whole log again (a replay), then client retries of 10 events.
    await handler(kinesisEvent(recs.slice(0, half)), context);
    await handler(kinesisEvent(recs.slice(half)), context);
    await handler(kinesisEvent(recs), context);
    expect((await handler(kinesisEvent(records(events.slice(0, 10))), context)).batchItemFailures).toEqual(
      [],
    );

    for (const [campaign, e] of expected) {
      for (const ctx of ['mobile|any', '*']) {
        expect(await posterior(`campaign:${campaign}`, ctx)).toMatchObject({
          alpha: e.rewarded,
          beta: e.unrewarded,
          impressions: e.rewarded + e.unrewarded,
          rewards: e.rewarded,
        });
      }
    }
    const read = await new DynamoPosteriorReader(doc, dynamo.prefix).posteriors(
      ['campaign:camp-0', 'campaign:none'],
      'mobile|any',
    );
    const e0 = expected.get('camp-0')!;
    expect(read.get('campaign:camp-0')).toEqual({
      arm_id: 'campaign:camp-0',
      context: 'mobile|any',
      alpha: 1 + e0.rewarded,
      beta: 1 + e0.unrewarded,
      impressions: 20,
    });
    expect(read.get('campaign:none')).toMatchObject({ alpha: 1, beta: 1, impressions: 0 });
    expect((await changes.changedSince('posteriors', NOW - 20_000)).ids).toEqual([
      'campaign:camp-0',
      'campaign:camp-1',
      'campaign:camp-2',
    ]);
  });

  it('counts events of packed records exactly once through a crash inside a record, redelivery and a replay', async () => {
    const { events, expected } = decisionLog(45, 'pk-');
    const handler = createPosteriorsHandler({ counters: posteriors });
    const recs = packedRecords(events, 12);
    // Requests of 12 events from 7 users: most records carry several events.
    expect(recs.length).toBeLessThan(events.length);
    const half = Math.floor(recs.length / 2);
    // The first counter key of the batch lands, then the invocation dies.
    const crashing: CounterStore = {
      getLedger: (s) => posteriors.getLedger(s),
      putLedger: (l, v) => posteriors.putLedger(l, v),
      addOnce: async () => {
        throw new Error('crash');
      },
      async addManyOnce(ws) {
        await posteriors.addManyOnce(ws.slice(0, 1));
        throw new Error('crash');
      },
    };
    await expect(
      createPosteriorsHandler({ counters: crashing })(kinesisEvent(recs.slice(0, half)), context),
    ).rejects.toThrow('All records failed');
    await handler(kinesisEvent(recs.slice(0, half)), context);
    await handler(kinesisEvent(recs.slice(half)), context);
    await handler(kinesisEvent(recs), context);
    for (const [campaign, e] of expected) {
      expect(await posterior(`campaign:${campaign}`, 'mobile|any')).toMatchObject({
        alpha: e.rewarded,
        beta: e.unrewarded,
        impressions: e.rewarded + e.unrewarded,
      });
    }
  });

  it('counts impressions and clicks per experiment variant, by the bucketing the admin API reports, exactly once', async () => {
    const experiment: Experiment = {
      experiment_id: 'exp-ranker',
      name: 'new ranker',
      description: '',
      surfaces: ['home'],
      traffic: 0.8,
      variants: [
        { name: 'control', weight: 1, ranking: {} },
        { name: 'treatment', weight: 1, ranking: {} },
      ],
      control: 'control',
      guardrails: [],
      salt: 'salt-1',
      status: 'running',
      started_at: new Date(NOW - 60_000).toISOString(),
      version: 1,
      created_at: at,
      updated_at: at,
    };
    const store = new ExperimentStore(doc, dynamo.prefix);
    await store.create(experiment);
    await store.create({ ...experiment, experiment_id: 'exp-stopped', status: 'stopped' });
    // 40 users: each sees two home items and clicks one when their id is even; one cart impression each.
    const events: AttuneEvent[] = [];
    const expected = new Map<string, { impressions: number; clicks: number }>();
    for (let u = 0; u < 40; u++) {
      const user_id = `xu-${u}`;
      for (const item_id of ['item-00001', 'item-00002'])
        events.push(makeEvent({ user_id, type: 'impression', item_id, surface: 'home', ts: at }));
      if (u % 2 === 0)
        events.push(makeEvent({ user_id, type: 'click', item_id: 'item-00001', surface: 'home', ts: at }));
      events.push(makeEvent({ user_id, type: 'impression', item_id: 'item-00003', surface: 'cart', ts: at }));
      const variant = assignVariant(experiment, user_id);
      if (!variant) continue;
      const e = expected.get(variant) ?? { impressions: 0, clicks: 0 };
      e.impressions += 2;
      if (u % 2 === 0) e.clicks += 1;
      expected.set(variant, e);
    }
    expect([...expected.keys()].sort()).toEqual(['control', 'treatment']);
    const handler = createPosteriorsHandler({ counters: posteriors, experiments: runningExperiments(store) });
    const recs = records(events, 'shardId-000000000007');
    await handler(kinesisEvent(recs), context);
    await handler(kinesisEvent(recs), context); // redelivered: counted once

    for (const [variant, e] of expected) {
      expect(await posterior(`experiment:exp-ranker:${variant}`, '*')).toMatchObject({
        impressions: e.impressions,
        rewards: e.clicks,
        alpha: e.clicks,
        beta: e.impressions - e.clicks,
      });
      expect(await posterior(`experiment:exp-stopped:${variant}`, '*')).toBeUndefined();
    }
    // The admin results endpoint's math reads these rows as they are.
    const rows = new Map(
      await Promise.all(
        [...expected.keys()].map(
          async (v) => [v, (await posterior(`experiment:exp-ranker:${v}`, '*')) as PosteriorRow] as const,
        ),
      ),
    );
    const results = experimentResults(experiment, rows);
    expect(results.variants.map((v) => [v.variant, v.impressions, v.clicks])).toEqual(
      experiment.variants.map((v) => [
        v.name,
        expected.get(v.name)?.impressions,
        expected.get(v.name)?.clicks,
      ]),
    );
  });

  it("writes per-user daily cap rows in the campaign's time zone, once, and targeting reads them", async () => {
    const tokyo = campaignFor('camp-tokyo', ['home'], ['item-00001'], {
      schedule: { time_zone: 'Asia/Tokyo', daily_windows: [] },
      caps: { per_user_per_day: 2 },
    });
    const campaigns = new CampaignStore(doc, dynamo.prefix);
    await campaigns.create(tokyo);
    // 20:00 UTC on 23 November is already 24 November in Tokyo.
    const ts = '2026-11-23T20:00:00.000Z';
    const view = (user_id: string) =>
      makeEvent({
        user_id,
        type: 'impression',
        item_id: 'item-00001',
        campaign_id: 'camp-tokyo',
        surface: 'home',
        ts,
      });
    const events = [
      view('cap-u1'),
      view('cap-u1'),
      view('cap-u1'),
      view('cap-u2'),
      makeEvent({ user_id: 'cap-u2', type: 'click', campaign_id: 'camp-tokyo', ts }),
    ];
    const handler = createPosteriorsHandler({
      counters: posteriors,
      caps: {
        counters: new DynamoCounterStore(doc, tableName(dynamo.prefix, 'users'), capLedgerKey),
        timeZones: campaignTimeZones(campaigns),
      },
    });
    const recs = records(events, 'shardId-000000000009');
    await handler(kinesisEvent(recs), context);
    await handler(kinesisEvent(recs), context); // redelivered

    const row = async (user: string) =>
      (
        await doc.send(
          new GetCommand({
            TableName: tableName(dynamo.prefix, 'users'),
            Key: { user_id: user, facet: capFacet('camp-tokyo', '2026-11-24') },
          }),
        )
      ).Item;
    expect(await row('cap-u1')).toMatchObject({
      impressions: 3,
      expires_at: Date.parse(ts) / 1000 + 3 * 86_400,
    });
    expect(await row('cap-u2')).toMatchObject({ impressions: 1 });
    // The same partition read serving and the admin API do: user 1 is capped today, user 2 is not.
    const profile = async (user: string) =>
      profileFromRows(
        (
          await doc.send(
            new QueryCommand({
              TableName: tableName(dynamo.prefix, 'users'),
              KeyConditionExpression: 'user_id = :u',
              ExpressionAttributeValues: { ':u': user },
            }),
          )
        ).Items ?? [],
      );
    const ctx = { now: Date.parse(ts), surface: 'home', totalImpressions: () => 0 };
    expect(ineligibility(tokyo, await profile('cap-u1'), ctx)).toBe('daily cap');
    expect(ineligibility(tokyo, await profile('cap-u2'), ctx)).toBeUndefined();
  });

  it('trending counts items per category once and serves them to the ranker', async () => {
    const counters = new DynamoCounterStore(doc, tableName(dynamo.prefix, 'trending'), trendingLedgerKey);
    const catalog = new DynamoItemCatalog(doc, dynamo.prefix);
    const handler = createTrendingHandler({ counters, items: createItemLookup(catalog) });
    const [i1, i2] = ['item-00001', 'item-00013']; // both in the first demo category, `home`
    const events = [
      ...Array.from({ length: 4 }, () => makeEvent({ type: 'impression', item_id: i1, ts: at })),
      makeEvent({ type: 'click', item_id: i1, ts: at }),
      makeEvent({ type: 'purchase', item_id: i2, ts: at }),
      makeEvent({ type: 'view', item_id: i2, ts: at }),
    ];
    const recs = records(events, 'shardId-000000000002');
    await handler(kinesisEvent(recs), context);
    await handler(kinesisEvent(recs), context);
    await handler(kinesisEvent(records(events.slice(4, 5), 'shardId-000000000002')), context);

    const reader = new DynamoTrendingReader(doc, dynamo.prefix);
    const top = await reader.trendingItems('global', { minutes: 60 });
    expect(top.map((t) => [t.item_id, t.score, t.interactions])).toEqual([
      [i2, 4.5, 2],
      [i1, 1.5, 1],
    ]);
    const stats = await reader.itemStats(
      [
        { item_id: i1, category: 'home' },
        { item_id: 'nope', category: 'home' },
      ],
      { minutes: 60 },
    );
    expect(stats.get(i1)).toMatchObject({ impressions: 4, clicks: 1, ctr: 2 / 24 });
    expect(stats.get('nope')).toMatchObject({ score: 0, impressions: 0, ctr: 1 / 20 });

    // The serving reader reuses rows for its cache time, then reads the new counts.
    let clock = Date.now();
    const cached = new DynamoTrendingReader(doc, dynamo.prefix, () => clock, { cacheMs: 5000 });
    const ctrOf = async () =>
      (await cached.itemStats([{ item_id: i1, category: 'home' }], { minutes: 60 })).get(i1)?.ctr;
    expect(await ctrOf()).toBe(2 / 24);
    await handler(
      kinesisEvent(records([makeEvent({ type: 'click', item_id: i1, ts: at })], 'shardId-000000000003')),
      context,
    );
    expect(await ctrOf()).toBe(2 / 24);
    clock += 5001;
    expect(await ctrOf()).toBe(3 / 24);
  });
});
