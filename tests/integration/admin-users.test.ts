import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactVectorIndex } from '../../origin-lambdas/adapters/vector/exact-index';
import type { EdgeCachePurger } from '../../origin-lambdas/admin/users/edge-purger';
import { TABLES, type TableKey, tableName } from '../../shared/tables';
import { type AdminHarness, startAdminHarness } from './admin-harness';

const USER = 'user-42';
// The user's id, not the neighbour `user-420` whose id starts the same.
const MENTIONS = /user-42(?!\d)/;

describe('users: export, opt-out and the deletion cascade', () => {
  let h: AdminHarness;
  const userIndex = new ExactVectorIndex(3);
  const purged: string[] = [];
  const edge: EdgeCachePurger = {
    async purgeUser(subject) {
      purged.push(subject);
      return 6;
    },
  };
  const put = (table: TableKey, item: Record<string, unknown>) =>
    h.doc.send(new PutCommand({ TableName: tableName(h.dynamo.prefix, table), Item: item }));

  /** Every item in every table that mentions the user, by table. */
  async function traces(): Promise<Record<string, number>> {
    const found: Record<string, number> = {};
    for (const key of Object.keys(TABLES) as TableKey[]) {
      const out = await h.doc.send(new ScanCommand({ TableName: tableName(h.dynamo.prefix, key) }));
      const n = (out.Items ?? []).filter((i) => MENTIONS.test(JSON.stringify(i))).length;
      if (n) found[key] = n;
    }
    return found;
  }

  beforeAll(async () => {
    h = await startAdminHarness('admusers', { userIndexes: [userIndex], edgePurger: edge });
    await put('users', {
      user_id: USER,
      facet: 'state',
      event_count: 3,
      embedding: [0.1, 0.2, 0.3],
      version: 3,
    });
    await put('users', { user_id: USER, facet: 'session#s1', recent_items: ['i1'], expires_at: 9e9 });
    await put('users', { user_id: USER, facet: 'cap#c1#2026-06-01', impressions: 1 });
    await put('users', { user_id: 'user-420', facet: 'state', event_count: 1, version: 1 });
    await put('lists', { list_id: `last-good:${USER}`, item_ids: ['i1'], updated_at: 'x' });
    await put('lists', { list_id: 'last-good:user-420', item_ids: ['i2'], updated_at: 'x' });
    await userIndex.upsert([
      { id: USER, vector: [1, 0, 0] },
      { id: 'user-420', vector: [0, 1, 0] },
    ]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('opts a user out on the prefs facet, audited', async () => {
    const res = await h.call('PUT', `/admin/users/${USER}/opt-out`, { body: { opted_out: true } });
    expect(res.status).toBe(200);
    expect(await h.app.services.prefs.isOptedOut(USER)).toBe(true);
    const trail = await h.call('GET', `/admin/audit?entity=user:${USER}`);
    expect(trail.body.items[0]).toMatchObject({ action: 'user.opt-out', after: { opted_out: true } });
  });

  it('exports everything held about the user', async () => {
    const res = await h.call('GET', `/admin/users/${USER}/export`);
    expect(res.status).toBe(200);
    expect(res.body.profile.map((r: { facet: string }) => r.facet).sort()).toEqual([
      'cap#c1#2026-06-01',
      'prefs',
      'session#s1',
      'state',
    ]);
    expect(res.body.lists).toEqual([{ list_id: `last-good:${USER}`, item_ids: ['i1'], updated_at: 'x' }]);
    expect(res.body.audit).toHaveLength(1);
  });

  it('deletes the user everywhere through a job and leaves nothing behind', async () => {
    expect(Object.keys(await traces()).sort()).toEqual(['audit', 'lists', 'users']);
    const res = await h.call('DELETE', `/admin/users/${USER}`);
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/admin/jobs/${res.body.job_id}`);

    let job = res.body;
    for (let i = 0; i < 100 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await h.call('GET', `/admin/jobs/${res.body.job_id}`)).body;
    }
    expect(job).toMatchObject({
      state: 'succeeded',
      steps: { users: 4, lists: 1, audit: 1, vector_indexes: 1, edge: 6 },
    });
    expect(await traces()).toEqual({});
    expect(purged).toEqual([USER]);
    expect((await userIndex.search([1, 0, 0], 5)).map((x) => x.id)).toEqual(['user-420']);
    // The neighbour whose id starts the same is untouched.
    const neighbour = await h.doc.send(new ScanCommand({ TableName: tableName(h.dynamo.prefix, 'lists') }));
    expect(neighbour.Items?.map((i) => i.list_id)).toEqual(['last-good:user-420']);
  });
});
