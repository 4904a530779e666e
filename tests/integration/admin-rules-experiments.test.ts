import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignVariant } from '../../origin-lambdas/admin/experiments/bucketing';
import { type AdminHarness, startAdminHarness } from './admin-harness';

describe('admin rules and experiments on DynamoDB Local', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness('admrules');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('versions rules per surface with history and rollback', async () => {
    expect((await h.call('GET', '/admin/rules/home')).status).toBe(404);
    const v1 = await h.call('PUT', '/admin/rules/home', {
      role: 'marketer',
      body: { rules: { max_items_per_category: 3, blocked_categories: ['beauty'] }, note: 'first' },
    });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      version: 1,
      rules: { max_items_per_category: 3, sponsored_positions: [] },
    });

    const missing = await h.call('PUT', '/admin/rules/home', { role: 'marketer', body: { rules: {} } });
    expect(missing.status).toBe(428);
    const v2 = await h.call('PUT', '/admin/rules/home', {
      role: 'marketer',
      body: { rules: { pinned_items: [{ item_id: 'i-1', position: 0 }], freshness_boost: 0.5 } },
      ifMatch: 1,
    });
    expect(v2.body.version).toBe(2);
    const stale = await h.call('PUT', '/admin/rules/home', {
      role: 'marketer',
      body: { rules: {} },
      ifMatch: 1,
    });
    expect(stale.status).toBe(409);

    const rolled = await h.call('POST', '/admin/rules/home/rollback', {
      role: 'marketer',
      body: { version: 1 },
      ifMatch: 2,
    });
    expect(rolled.body).toMatchObject({ version: 3, rolled_back_from: 1, rules: v1.body.rules });
    expect((await h.call('GET', '/admin/rules/home', { role: 'viewer' })).body.version).toBe(3);
    const history = await h.call('GET', '/admin/rules/home/versions?limit=2');
    expect(history.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    const rest = await h.call('GET', `/admin/rules/home/versions?limit=2&cursor=${history.body.next_cursor}`);
    expect(rest.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    expect((await h.call('GET', '/admin/rules/home/versions/2')).body.rules.freshness_boost).toBe(0.5);
    // Other surfaces are independent.
    expect((await h.call('GET', '/admin/rules/cart')).status).toBe(404);
  });

  it('rejects inconsistent rules naming the field', async () => {
    const res = await h.call('PUT', '/admin/rules/cart', {
      role: 'marketer',
      body: { rules: { pinned_items: [{ item_id: 'a', position: 1 }], blocked_items: ['a'] } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('rules.pinned_items');
  });

  it('runs an experiment: draft, start, assignment, results, stop', async () => {
    const created = await h.call('POST', '/admin/experiments', {
      role: 'marketer',
      body: {
        name: 'Ranker v2',
        surfaces: ['home'],
        traffic: 0.5,
        variants: [
          { name: 'control', weight: 1, model_version: 'linear-default-v1' },
          { name: 'v2', weight: 1, model_version: 'linear-v2', ranking: { diversity: 0.3 } },
        ],
        guardrails: [{ metric: 'ctr', max_relative_drop: 0.05 }],
      },
    });
    expect(created.status).toBe(201);
    const e = created.body;
    expect(e).toMatchObject({ status: 'draft', control: 'control', version: 1 });
    expect(e.salt).toMatch(/^[a-f0-9]{16}$/);

    const edited = await h.call('PATCH', `/admin/experiments/${e.experiment_id}`, {
      role: 'marketer',
      body: { traffic: 1 },
      ifMatch: 1,
    });
    expect(edited.body).toMatchObject({ traffic: 1, version: 2 });
    const started = await h.call('POST', `/admin/experiments/${e.experiment_id}/start`, {
      role: 'marketer',
      ifMatch: 2,
    });
    expect(started.body.status).toBe('running');
    const locked = await h.call('PATCH', `/admin/experiments/${e.experiment_id}`, {
      role: 'marketer',
      body: { traffic: 0.2 },
      ifMatch: 3,
    });
    expect(locked.status).toBe(409);

    const assignment = await h.call('GET', `/admin/experiments/${e.experiment_id}/assignment?user_id=alice`, {
      role: 'viewer',
    });
    expect(assignment.body.variant).toBe(assignVariant({ ...e, traffic: 1 }, 'alice'));

    await h.app.services.posteriors.put({
      arm_id: `experiment:${e.experiment_id}:control`,
      context: '*',
      impressions: 2000,
      clicks: 100,
    });
    await h.app.services.posteriors.put({
      arm_id: `experiment:${e.experiment_id}:v2`,
      context: '*',
      impressions: 2000,
      clicks: 130,
    });
    const results = await h.call('GET', `/admin/experiments/${e.experiment_id}/results`, { role: 'analyst' });
    expect(results.status).toBe(200);
    const [control, v2] = results.body.variants;
    expect(control).toMatchObject({ variant: 'control', impressions: 2000, clicks: 100, ctr: 0.05 });
    expect(v2.ctr).toBeCloseTo(0.065, 12);
    const se = Math.sqrt((0.065 * 0.935) / 2000 + (0.05 * 0.95) / 2000);
    expect(v2.difference.ctr).toBeCloseTo(0.015, 12);
    expect(v2.difference.interval[0]).toBeCloseTo(0.015 - 1.959964 * se, 9);
    expect(v2.probability_best).toBeGreaterThan(0.95);
    expect(results.body.guardrails).toEqual([
      { metric: 'ctr', variant: 'v2', relative_drop: expect.closeTo(-0.3, 9), breached: false },
    ]);

    const stopped = await h.call('POST', `/admin/experiments/${e.experiment_id}/stop`, {
      role: 'marketer',
      ifMatch: 3,
    });
    expect(stopped.body.status).toBe('stopped');
    const after = await h.call('GET', `/admin/experiments/${e.experiment_id}/assignment?user_id=alice`);
    expect(after.body.variant).toBeNull();
  });
});
