import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUserPrefs } from '../../origin-lambdas/adapters/dynamodb-user-prefs';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { OPTED_OUT_MODEL } from '../../origin-lambdas/recommend/opt-out';
import { getRecs, type OriginStack, startOriginStack } from '../helpers/origin-stack';

describe('the origin honours the opt-out flag set through the admin API', () => {
  let stack: OriginStack;
  let prefs: DynamoUserPrefs;
  let byPopularity: string[];
  const ask = async () => (await getRecs(stack.app(), 'user_id=fan&surface=home&limit=5')).body;

  beforeAll(async () => {
    stack = await startOriginStack('admoptout', 120);
    byPopularity = [...stack.items].sort((a, b) => b.popularity - a.popularity).map((i) => i.item_id);
    await new DynamoUserStateStore(stack.doc, stack.dynamo.prefix).putIfVersion(
      {
        user_id: 'fan',
        event_count: 2,
        recent_items: [byPopularity[0] as string],
        version: 1,
      },
      0,
    );
    prefs = new DynamoUserPrefs(stack.doc, stack.dynamo.prefix);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('personalizes before the opt-out and serves the popular list, explained as popular, after it', async () => {
    const before = await ask();
    expect(before.model_version).toBe('linear-default-v1');
    expect(before.cold_start_stage).toBe('content');
    expect(before.items.map((i) => i.item_id)).not.toContain(byPopularity[0]);

    await prefs.setOptedOut('fan', true, '2026-06-01T00:00:00Z');
    const after = await ask();
    expect(after.model_version).toBe(OPTED_OUT_MODEL);
    expect(after.scorer).toBeUndefined();
    // Popularity order, history unused: even the recently viewed top item comes back.
    expect(after.items.map((i) => i.item_id)).toEqual(byPopularity.slice(0, 5));
    expect(after.items.flatMap((i) => i.reasons.map((r) => r.code))).toEqual(Array(5).fill('popular'));

    await prefs.setOptedOut('fan', false, '2026-06-02T00:00:00Z');
    expect((await ask()).model_version).toBe('linear-default-v1');
  });
});
