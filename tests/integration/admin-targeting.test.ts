import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../local/seed/catalog';
import { campaignVector } from '../../origin-lambdas/admin/campaigns/store';
import { capFacet } from '../../origin-lambdas/admin/users/profile';
import { localDay } from '../../origin-lambdas/admin/users/targeting';
import { tableName } from '../../shared/tables';
import { type AdminHarness, campaignBody, startAdminHarness } from './admin-harness';

describe('top campaigns for a user: targeting, caps and similarity', () => {
  let h: AdminHarness;
  const ids: Record<string, string> = {};
  const items = generateCatalog({ items: 24 });

  const create = async (key: string, overrides: Record<string, unknown>) => {
    const res = await h.call('POST', '/admin/campaigns', {
      role: 'marketer',
      body: campaignBody({ name: `Campaign ${key}`, ...overrides }),
    });
    expect(res.status).toBe(201);
    ids[key] = res.body.campaign_id;
  };
  const putUserRow = (row: Record<string, unknown>) =>
    h.doc.send(new PutCommand({ TableName: tableName(h.dynamo.prefix, 'users'), Item: row }));
  const top = async (user: string, query = '') => {
    const res = await h.call('GET', `/admin/users/${user}/campaigns?${query}`, { role: 'analyst' });
    expect(res.status).toBe(200);
    return res.body as {
      ranking: string;
      items: { campaign_id: string; similarity: number | null; posterior: { mean: number } }[];
    };
  };
  const name = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];

  beforeAll(async () => {
    h = await startAdminHarness('admtarget');
    await h.catalog.putItems(items);
    const shoes = items.filter((i) => i.category === 'shoes').map((i) => i.item_id);
    await create('geo', { targeting: { countries: ['US'], devices: ['mobile'] }, priority: 50 });
    await create('shoes', {
      targeting: { category_affinities: ['shoes'], min_affinity: 0.5 },
      creative: { title: 'Sneakers week', item_ids: shoes },
      priority: 10,
    });
    await create('newcomers', { targeting: { audience: 'new' }, priority: 900 });
    await create('daily', { caps: { per_user_per_day: 2 }, priority: 800 });
    await create('total', { caps: { total_impressions: 100 }, priority: 700 });
    await create('email', { surfaces: ['email'], priority: 600 });
    await create('night', { schedule: { daily_windows: [{ start: '22:00', end: '06:00' }] }, priority: 500 });
    await create('draft', { status: 'draft', priority: 1000 });
    await create('plain', { priority: 20 });

    const shoesCampaign = await h.app.services.campaigns.get(ids.shoes as string);
    await putUserRow({
      user_id: 'u1',
      facet: 'state',
      event_count: 40,
      embedding: campaignVector(shoesCampaign as never),
      affinities: { scores: { shoes: 4, books: 1 }, at: h.clock.now },
      version: 1,
    });
    await putUserRow({
      user_id: 'u1',
      facet: capFacet(ids.daily as string, localDay(h.clock.now, 'UTC')),
      impressions: 2,
    });
    await h.app.services.posteriors.put({
      arm_id: `campaign:${ids.total}`,
      context: '*',
      impressions: 100,
      clicks: 3,
    });
    await h.app.services.posteriors.put({
      arm_id: `campaign:${ids.shoes}`,
      context: '*',
      impressions: 50,
      clicks: 9,
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps only campaigns whose targeting and caps admit the user, ranked by similarity', async () => {
    const res = await top('u1', 'surface=home&country=US&device=mobile');
    expect(res.ranking).toBe('similarity');
    expect(res.items.map((i) => name(i.campaign_id)).sort()).toEqual(['geo', 'plain', 'shoes']);
    expect(name(res.items[0]?.campaign_id as string)).toBe('shoes');
    expect(res.items[0]?.similarity).toBeCloseTo(1, 4);
    // Beta(1 + 9, 1 + 41): the bandit posterior beside the campaign.
    expect(res.items[0]?.posterior.mean).toBeCloseTo(10 / 52, 10);
  });

  it('drops country and device targeted campaigns when the context does not match', async () => {
    const res = await top('u1', 'surface=home&country=FR&device=desktop');
    expect(res.items.map((i) => name(i.campaign_id)).sort()).toEqual(['plain', 'shoes']);
  });

  it('falls back to priority for a user without a taste embedding, and applies audience and caps', async () => {
    const res = await top('stranger', 'surface=home&limit=10');
    expect(res.ranking).toBe('priority');
    // New user: no affinity for shoes, no cap used today; the total cap still applies to everyone.
    expect(res.items.map((i) => name(i.campaign_id))).toEqual(['newcomers', 'daily', 'plain']);
    expect(res.items.every((i) => i.similarity === null)).toBe(true);
  });

  it('serves a daily window campaign only inside its window', async () => {
    const night = Date.parse('2026-06-01T23:30:00Z');
    const saved = h.clock.now;
    h.clock.now = night;
    h.app.services.campaignIndex.invalidate();
    const res = await top('stranger', 'surface=home&limit=10');
    h.clock.now = saved;
    expect(res.items.map((i) => name(i.campaign_id))).toContain('night');
  });
});
