import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrashSwitch } from '../../bench/stream/instrument';
import { scanAll } from '../../bench/stream/verify';
import type { KinesisHandler } from '../../local/kinesis-runner';
import { generateCatalog } from '../../local/seed/catalog';
import { ensureTables } from '../../local/standins/tables';
import { DynamoCounterStore, type LedgerKey } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { AttuneEvent } from '../../shared/schemas/event';
import { tableName } from '../../shared/tables';
import { createPosteriorsHandler, posteriorLedgerKey } from '../../stream-handlers/bandit-posteriors/handler';
import { createItemLookup } from '../../stream-handlers/common/item-lookup';
import type { WriteMode } from '../../stream-handlers/common/write-mode';
import { createTrendingHandler, trendingLedgerKey } from '../../stream-handlers/trending/handler';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import { kinesisEvent, kinesisRecord, makeEvent, seq } from '../helpers/events';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

const context = { functionName: 'write-modes', awsRequestId: 'test' } as Context;
const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const USERS = 150;

/** 900 events over 150 users: item events on the catalog, and campaign decisions, a third clicked. */
function workload(itemIds: readonly string[]): AttuneEvent[] {
  const events: AttuneEvent[] = [];
  for (let i = 0; i < 900; i++) {
    const user_id = `u${(i * 7) % USERS}`;
    const ts = new Date(NOW - (900 - i) * 1000).toISOString();
    if (i % 5 === 0) {
      const base = { user_id, ts, campaign_id: `camp-${i % 4}`, decision_id: `dec-${i}`, item_id: undefined };
      events.push(makeEvent({ ...base, type: 'campaign_view' }));
      if (i % 3 === 0) events.push(makeEvent({ ...base, type: 'campaign_click' }));
    } else {
      const type = (['view', 'click', 'impression', 'purchase'] as const)[i % 4];
      events.push(makeEvent({ user_id, ts, type, item_id: itemIds[i % itemIds.length] }));
    }
  }
  return events;
}

/**
 * Every row of the tables the consumers write, in key order. A shard ledger's version counts its
 * writes, and the injected crash stops each mode at a different point (after three transaction
 * entries vs three requests), so that one attribute is left out; its ids and watermark are kept.
 */
async function everyRow(doc: ReturnType<typeof createDocumentClient>, prefix: string) {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const key of ['users', 'posteriors', 'trending'] as const) {
    const rows = (await scanAll(doc, prefix, key)).map((r) => {
      if (r.scope !== '~ledger' && r.arm_id !== '~ledger') return r;
      const { version: _version, ...rest } = r;
      return rest;
    });
    out[key] = rows.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }
  return out;
}

const keyOf = (r: Record<string, unknown>) =>
  ['user_id', 'facet', 'arm_id', 'context', 'scope', 'bucket'].map((k) => String(r[k] ?? '')).join('|');

describe('STATE_WRITE_MODE: transact and single leave identical state', () => {
  let dynamo: TestDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  const catalog = generateCatalog({ items: 30 });
  beforeAll(async () => {
    dynamo = await startTestDynamo('modes');
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    for (const mode of ['transact', 'single']) {
      await ensureTables(dynamo.client, `${dynamo.prefix}-${mode}`);
      await new DynamoItemCatalog(doc, `${dynamo.prefix}-${mode}`).putItems(catalog);
    }
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.stop();
  });

  /** The three consumers in one mode, each crashing part-way through its second batch. */
  function consumers(mode: WriteMode) {
    const prefix = `${dynamo.prefix}-${mode}`;
    const items = createItemLookup(new DynamoItemCatalog(doc, prefix));
    const counters = (key: 'posteriors' | 'trending', ledger: LedgerKey) =>
      new DynamoCounterStore(doc, tableName(prefix, key), ledger);
    const crash = [new CrashSwitch(), new CrashSwitch(), new CrashSwitch()] as const;
    const handlers: KinesisHandler[] = [
      crash[0].wrap(
        createUserStateHandler({
          users: crash[0].guard(
            new DynamoUserStateStore(doc, prefix),
            ['putIfVersion'],
            ['putManyIfVersion'],
          ),
          items,
          writeMode: mode,
          now: () => NOW,
        }),
      ),
      crash[1].wrap(
        createPosteriorsHandler({
          counters: crash[1].guard(counters('posteriors', posteriorLedgerKey), ['addOnce'], ['addManyOnce']),
          writeMode: mode,
          now: () => NOW,
        }),
      ),
      crash[2].wrap(
        createTrendingHandler({
          counters: crash[2].guard(counters('trending', trendingLedgerKey), ['addOnce'], ['addManyOnce']),
          items,
          writeMode: mode,
          now: () => NOW,
        }),
      ),
    ];
    return { prefix, handlers, crash };
  }

  it('after batches of more than 100 keys, a mid-batch crash, redelivery, client retries and a replay', async () => {
    const events = workload(catalog.map((i) => i.item_id));
    const records: KinesisStreamRecord[] = events.map((e, i) =>
      kinesisRecord({ ...e, received_at: e.ts }, seq(i + 1), e.user_id),
    );
    // Client retries: the first 20 events again, as new records at the end of the shard.
    const retries = events
      .slice(0, 20)
      .map((e, i) => kinesisRecord({ ...e, received_at: e.ts }, seq(records.length + i + 1), e.user_id));
    const half = Math.floor(records.length / 2);
    const tables: Record<string, Record<string, unknown>[]>[] = [];
    for (const mode of ['transact', 'single'] as const) {
      const { prefix, handlers, crash } = consumers(mode);
      for (const [i, handler] of handlers.entries()) {
        await handler(kinesisEvent(records.slice(0, half)), context);
        crash[i]?.arm();
        // Part of the batch lands, then the invocation fails.
        await expect(handler(kinesisEvent(records.slice(half)), context)).rejects.toThrow();
        expect(crash[i]?.crashed).toBe(true);
        const redelivered = await handler(kinesisEvent(records.slice(half)), context);
        expect(redelivered?.batchItemFailures, `${mode} #${i}`).toEqual([]);
        await handler(kinesisEvent(retries), context);
        await handler(kinesisEvent([...records, ...retries]), context);
      }
      tables.push(await everyRow(doc, prefix));
    }
    const [transact, single] = tables;
    expect(transact).toEqual(single);
    const states = transact?.users?.filter((r) => r.facet === 'state') ?? [];
    expect(states).toHaveLength(USERS);
    expect(states.reduce((n, r) => n + Number(r.event_count), 0)).toBe(events.length);
    const impressions = transact?.posteriors?.find(
      (r) => r.arm_id === 'campaign:camp-0' && r.context === '*',
    );
    expect(impressions).toMatchObject({
      impressions: events.filter((e) => e.type === 'campaign_view' && e.campaign_id === 'camp-0').length,
    });
  });
});
