import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../local/seed/catalog';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserPrefs } from '../../origin-lambdas/adapters/dynamodb-user-prefs';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { OPTED_OUT_MODEL } from '../../origin-lambdas/recommend/opt-out';
import { GLOBAL_POPULAR_LIST, PopularSource } from '../../origin-lambdas/recommend/popular-source';
import { type RecommendDeps, recommend } from '../../origin-lambdas/recommend/recommend';
import type { ModelEndpoint } from '../../shared/ports/model-endpoint';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

describe('the origin honours the opt-out flag set through the admin API', () => {
  let dynamo: TestDynamo;
  let deps: RecommendDeps;
  let prefs: DynamoUserPrefs;
  const items = generateCatalog({ items: 40 });
  const byPopularity = [...items].sort((a, b) => b.popularity - a.popularity);
  let modelCalls = 0;
  // The ranking endpoint scores by reversed popularity, so a personalized answer is visibly different.
  const model: ModelEndpoint = {
    async rank(req) {
      modelCalls++;
      return {
        model_version: 'reverse-test',
        scores: Array.from(
          { length: req.rows },
          (_, i) => -(req.features[i * req.feature_names.length] as number),
        ),
      };
    },
    async health() {
      return { ok: true };
    },
  };
  const ask = (user_id: string) =>
    recommend(deps, { user_id, surface: 'home', limit: 5, exclude: [], explain: false, requestId: 'r1' });

  beforeAll(async () => {
    dynamo = await startTestDynamo('admoptout');
    const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    const catalog = new DynamoItemCatalog(doc, dynamo.prefix);
    await catalog.putItems(items);
    await catalog.putList({
      list_id: GLOBAL_POPULAR_LIST,
      item_ids: byPopularity.map((i) => i.item_id),
      updated_at: 'now',
    });
    const users = new DynamoUserStateStore(doc, dynamo.prefix);
    await users.putIfVersion(
      {
        user_id: 'fan',
        event_count: 2,
        recent_items: [byPopularity[0]?.item_id as string],
        recent_event_ids: [],
        version: 1,
      },
      0,
    );
    prefs = new DynamoUserPrefs(doc, dynamo.prefix);
    deps = {
      catalog,
      users,
      model,
      popular: new PopularSource(catalog),
      dynamoTimeoutMs: 2000,
      modelTimeoutMs: 2000,
      optOut: prefs,
    };
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('personalizes before the opt-out and serves the popular list, explained as popular, after it', async () => {
    const before = await ask('fan');
    expect(before.model_version).toBe('reverse-test');
    expect(before.items.map((i) => i.item_id)).not.toContain(byPopularity[0]?.item_id);

    await prefs.setOptedOut('fan', true, '2026-06-01T00:00:00Z');
    const calls = modelCalls;
    const after = await ask('fan');
    expect(modelCalls).toBe(calls);
    expect(after.model_version).toBe(OPTED_OUT_MODEL);
    // Popularity order, history unused: even the recently viewed top item comes back.
    expect(after.items.map((i) => i.item_id)).toEqual(byPopularity.slice(0, 5).map((i) => i.item_id));
    expect(after.items.flatMap((i) => i.reasons.map((r) => r.code))).toEqual(Array(5).fill('popular'));

    await prefs.setOptedOut('fan', false, '2026-06-02T00:00:00Z');
    expect((await ask('fan')).model_version).toBe('reverse-test');
  });
});
