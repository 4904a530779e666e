import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../local/standins/tables';
import { fallbackItems } from '../../shared/fallback-items';
import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { RecommendedItem } from '../../shared/schemas/recommendation';
import { tableName } from '../../shared/tables';
import {
  getRecs,
  type OriginStack,
  startOriginStack,
  writePrefs,
  writeUserState,
} from '../helpers/origin-stack';

const PATIENT = { RETRIEVAL_TIMEOUT_MS: '5000', DYNAMODB_TIMEOUT_MS: '3000' };
const ids = (items: readonly RecommendedItem[]) => items.map((i) => i.item_id);

// One stack, broken a little more by each test: the model server, then the items table, then the
// users table, then DynamoDB itself. The tests run in order and each builds a fresh container.
describe('recommend degradation ladder, each level forced by breaking the real dependency', () => {
  let stack: OriginStack;
  let books: CatalogItem[];
  let saved: string[];
  let globalOrder: string[];
  const countryOrder = (items: readonly CatalogItem[]) =>
    [...items].sort((a, b) => a.popularity - b.popularity).map((i) => i.item_id);

  beforeAll(async () => {
    stack = await startOriginStack('recdegrade', 360);
    books = stack.items.filter((i) => i.category === 'books');
    globalOrder = [...stack.items].sort((a, b) => b.popularity - a.popularity).map((i) => i.item_id);
    // The country list runs least popular first, so its order cannot be mistaken for the global one.
    await stack.catalog.putList({
      list_id: LIST_IDS.countryPopular('DE'),
      item_ids: countryOrder(stack.items).slice(0, 60),
      updated_at: new Date().toISOString(),
    });
    await writeUserState(stack, 'u-deg', { eventCount: 3, recentItems: [books[5]!.item_id] });
    const level0 = await getRecs(stack.app(PATIENT), 'user_id=u-deg&limit=8');
    expect(level0.body.fallback_level).toBe(0);
    saved = ids(level0.body.items);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const expectServed = (status: number, items: readonly RecommendedItem[]) => {
    expect(status).toBe(200);
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((i) => i.position)).toEqual(items.map((_, n) => n));
    expect(new Set(ids(items)).size).toBe(items.length);
  };

  it('level 1: the model server is down, the in-process CPU copy of its bundle scores', async () => {
    const version = stack.model.modelVersion;
    await stack.model.close();
    const app = stack.app({ ...PATIENT, MODEL_TIMEOUT_MS: '500', FALLBACK_MODEL_PATH: stack.modelDir });

    const { status, body } = await getRecs(app, 'user_id=u-deg&limit=8');

    expectServed(status, body.items);
    expect(body.fallback_level).toBe(1);
    expect(body.scorer).toBe('cpu-fallback');
    expect(body.model_version).toBe(`${version}+cpu`);
    expect(body.degraded).toEqual(['scorer:cpu-fallback']);
    expect(body.cold_start_stage).toBe('content');
    expect(body.candidates_scored).toBeGreaterThan(0);
  });

  it('level 1: the model server is down and no fallback bundle is configured, a heuristic scores', async () => {
    const app = stack.app({ ...PATIENT, MODEL_TIMEOUT_MS: '500' });

    const { status, body } = await getRecs(app, 'anonymous_id=anon-heuristic&limit=8');

    expectServed(status, body.items);
    expect(body.fallback_level).toBe(1);
    expect(body.scorer).toBe('heuristic');
    expect(body.model_version).toBe('popularity-fallback');
    expect(body.degraded).toEqual(['scorer:heuristic']);
    // Ordered by popularity: the heuristic's page starts with the most popular item.
    expect(body.items[0]?.item_id).toBe(globalOrder[0]);
  });

  it("level 2: the items table is gone, the user's last good list serves, minus what they blocked since", async () => {
    const blocked = saved[1]!;
    await writePrefs(stack, 'u-deg', { blocked_items: [blocked] });
    await stack.dynamo.client.send(
      new DeleteTableCommand({ TableName: tableName(stack.dynamo.prefix, 'items') }),
    );
    const app = stack.app(PATIENT);

    const { status, body } = await getRecs(app, 'user_id=u-deg&limit=8');

    expectServed(status, body.items);
    expect(body.fallback_level).toBe(2);
    expect(body.model_version).toBe('last-good-list');
    expect(ids(body.items)).toEqual(saved.filter((id) => id !== blocked));
    expect(body.degraded).toEqual(['funnel']);
    expect(body.items.every((i) => i.reasons[0]?.code === 'similar')).toBe(true);
  });

  it("level 3: the users table is gone, the visitor's country list serves in its order", async () => {
    await ensureTables(stack.dynamo.client, stack.dynamo.prefix);
    await stack.catalog.putItems(stack.items);
    await stack.dynamo.client.send(
      new DeleteTableCommand({ TableName: tableName(stack.dynamo.prefix, 'users') }),
    );
    const app = stack.app(PATIENT);

    const { status, body } = await getRecs(app, 'user_id=u-deg&country=de&limit=10');

    expectServed(status, body.items);
    expect(body.fallback_level).toBe(3);
    expect(body.model_version).toBe(`list:${LIST_IDS.countryPopular('DE')}`);
    expect(ids(body.items)).toEqual(countryOrder(stack.items).slice(0, 10));
    expect(body.degraded).toEqual(['user_context']);
  });

  it('level 4: the users table is gone and no regional list applies, the global popular list serves', async () => {
    const app = stack.app(PATIENT);

    const plain = await getRecs(app, 'anonymous_id=anon-4&limit=10');
    // A country without its own list falls through to the global one too.
    const japan = await getRecs(app, 'anonymous_id=anon-4&country=JP&limit=10');

    for (const { status, body } of [plain, japan]) {
      expectServed(status, body.items);
      expect(body.fallback_level).toBe(4);
      expect(body.model_version).toBe(`list:${LIST_IDS.globalPopular}`);
      expect(ids(body.items)).toEqual(globalOrder.slice(0, 10));
    }
  });

  it('level 5: DynamoDB itself is down, the compiled list serves', async () => {
    await stack.dynamo.standIn.stop();
    const app = stack.app({ ...PATIENT, DYNAMODB_TIMEOUT_MS: '1000' });

    const { status, body } = await getRecs(app, 'user_id=u-deg&limit=6');

    expectServed(status, body.items);
    expect(body.fallback_level).toBe(5);
    expect(body.model_version).toBe('compiled-fallback');
    expect(ids(body.items)).toEqual(ids(fallbackItems(6)));
    expect(body.degraded).toEqual(['user_context', 'rules', 'experiments']);
  });
});
