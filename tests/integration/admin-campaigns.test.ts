import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, campaignBody, startAdminHarness } from './admin-harness';

describe('admin campaigns on DynamoDB Local', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness('admcamp');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('creates, reads and updates a campaign with optimistic concurrency', async () => {
    const created = await h.call('POST', '/admin/campaigns', { role: 'marketer', body: campaignBody() });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({
      name: 'Summer running',
      status: 'active',
      serving_now: true,
      version: 1,
      priority: 100,
      caps: {},
      bandit: { prior_alpha: 1, prior_beta: 1, exploration_share: 0.1 },
      embedding_dimensions: 32,
    });
    const id = created.body.campaign_id as string;

    const read = await h.call('GET', `/admin/campaigns/${id}`, { role: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const noIfMatch = await h.call('PATCH', `/admin/campaigns/${id}`, {
      role: 'marketer',
      body: { priority: 5 },
    });
    expect(noIfMatch.status).toBe(428);
    expect(noIfMatch.headers.get('content-type')).toBe('application/problem+json');

    const updated = await h.call('PATCH', `/admin/campaigns/${id}`, {
      role: 'marketer',
      body: { priority: 5, caps: { per_user_per_day: 2 } },
      ifMatch: 1,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ priority: 5, caps: { per_user_per_day: 2 }, version: 2 });

    const stale = await h.call('PATCH', `/admin/campaigns/${id}`, {
      role: 'marketer',
      body: { priority: 9 },
      ifMatch: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.title).toBe('Version conflict');
    expect((await h.call('GET', `/admin/campaigns/${id}`)).body.priority).toBe(5);

    // A patch changes only what it names; defaults of the create schema do not creep back in.
    const renamed = await h.call('PATCH', `/admin/campaigns/${id}`, {
      role: 'marketer',
      body: { name: 'Winter running' },
      ifMatch: 2,
    });
    expect(renamed.body).toMatchObject({
      name: 'Winter running',
      priority: 5,
      caps: { per_user_per_day: 2 },
      version: 3,
    });
    const toDraft = await h.call('PATCH', `/admin/campaigns/${id}`, {
      role: 'marketer',
      body: { status: 'draft' },
      ifMatch: 3,
    });
    expect(toDraft.status).toBe(409);
  });

  it('names the offending field in problem+json', async () => {
    const res = await h.call('POST', '/admin/campaigns', {
      role: 'marketer',
      body: campaignBody({ surfaces: ['billboard'], caps: { per_user_per_day: 0 } }),
    });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['caps.per_user_per_day', 'surfaces.0']);
  });

  it('answers a missing, malformed or non-JSON body with problem+json, never a bare 400', async () => {
    const post = (body: string | undefined, contentType: string) =>
      h.app.request('/admin/campaigns', {
        method: 'POST',
        headers: { 'x-api-key': h.keys.marketer, 'content-type': contentType },
        ...(body === undefined ? {} : { body }),
      });
    const empty = await post(undefined, 'application/json');
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toBe('application/problem+json');
    expect(((await empty.json()) as { errors: unknown }).errors).toEqual([
      { field: '(body)', message: 'a JSON body is required' },
    ]);
    const malformed = await post('{"name":', 'application/json');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: unknown }).errors).toEqual([
      { field: '(body)', message: 'body is not valid JSON' },
    ]);
    const form = await post(JSON.stringify(campaignBody()), 'text/plain');
    expect(form.status).toBe(415);
    expect(form.headers.get('content-type')).toBe('application/problem+json');
  });

  it('validates query and path parameters through the same problem+json', async () => {
    const badQuery = await h.call('GET', '/admin/campaigns?limit=0&status=bogus', { role: 'viewer' });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'status']);
    const badParam = await h.call('GET', `/admin/campaigns/${'x'.repeat(65)}`, { role: 'viewer' });
    expect(badParam.status).toBe(400);
    expect(badParam.body.errors.map((e: { field: string }) => e.field)).toEqual(['id']);
  });

  it('pauses, resumes and archives, refusing transitions that make no sense', async () => {
    const { body } = await h.call('POST', '/admin/campaigns', { role: 'marketer', body: campaignBody() });
    const id = body.campaign_id as string;
    const paused = await h.call('POST', `/admin/campaigns/${id}/pause`, { role: 'marketer', ifMatch: 1 });
    expect(paused.body).toMatchObject({ status: 'paused', serving_now: false, version: 2 });
    const again = await h.call('POST', `/admin/campaigns/${id}/pause`, { role: 'marketer', ifMatch: 2 });
    expect(again.status).toBe(409);
    const resumed = await h.call('POST', `/admin/campaigns/${id}/resume`, { role: 'marketer', ifMatch: 2 });
    expect(resumed.body).toMatchObject({ status: 'active', version: 3 });
    const archived = await h.call('POST', `/admin/campaigns/${id}/archive`, { role: 'marketer', ifMatch: 3 });
    expect(archived.body.status).toBe('archived');
    const edit = await h.call('PATCH', `/admin/campaigns/${id}`, {
      role: 'marketer',
      body: { priority: 1 },
      ifMatch: 4,
    });
    expect(edit.status).toBe(409);
  });

  it('derives status from the schedule on read, and the sweep persists it', async () => {
    const start = '2026-06-02T00:00:00Z';
    const end = '2026-06-03T00:00:00Z';
    const { body } = await h.call('POST', '/admin/campaigns', {
      role: 'marketer',
      body: campaignBody({ schedule: { start, end } }),
    });
    const id = body.campaign_id as string;
    expect(body.status).toBe('scheduled');
    h.clock.now = Date.parse('2026-06-02T06:00:00Z');
    expect((await h.call('GET', `/admin/campaigns/${id}`)).body.status).toBe('active');
    const scheduledPage = await h.call('GET', '/admin/campaigns?status=scheduled&limit=100');
    expect(scheduledPage.body.items.map((c: { campaign_id: string }) => c.campaign_id)).toContain(id);

    const sweep = await h.call('POST', '/admin/maintenance/sweep', { role: 'marketer' });
    expect(sweep.body.changed).toContain(id);
    const activePage = await h.call('GET', '/admin/campaigns?status=active&limit=100');
    expect(activePage.body.items.map((c: { campaign_id: string }) => c.campaign_id)).toContain(id);

    h.clock.now = Date.parse(end);
    expect((await h.call('GET', `/admin/campaigns/${id}`)).body.status).toBe('ended');
    h.clock.now = Date.parse('2026-06-01T12:00:00Z');
  });

  it('paginates with cursors and writes an audit record per mutation', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await h.call('GET', `/admin/campaigns?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      for (const c of res.body.items) seen.add(c.campaign_id);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(3);
    expect(pages).toBeGreaterThanOrEqual(2);

    const [first] = [...seen];
    const trail = await h.call('GET', `/admin/audit?entity=campaign:${first}`);
    expect(trail.status).toBe(200);
    expect(trail.body.items.length).toBeGreaterThanOrEqual(1);
    const create = trail.body.items.at(-1);
    expect(create).toMatchObject({ action: 'campaign.create', role: 'marketer' });
    expect(create.before).toBeUndefined();
    expect(create.after.campaign_id).toBe(first);
    expect((await h.call('GET', '/admin/campaigns?cursor=not-a-cursor')).status).toBe(400);
  });

  it('reports campaign stats per context bucket from the posteriors table', async () => {
    const a = await h.call('POST', '/admin/campaigns', {
      role: 'marketer',
      body: campaignBody({ name: 'Stats A', bandit: { prior_alpha: 2, prior_beta: 8 } }),
    });
    const b = await h.call('POST', '/admin/campaigns', {
      role: 'marketer',
      body: campaignBody({ name: 'Stats B' }),
    });
    const arm = (id: string) => `campaign:${id}`;
    const posteriors = h.app.services.posteriors;
    await posteriors.put({
      arm_id: arm(a.body.campaign_id),
      context: '*',
      impressions: 1000,
      rewards: 80,
      conversions: 8,
    });
    await posteriors.put({
      arm_id: arm(a.body.campaign_id),
      context: 'mobile|evening',
      impressions: 400,
      rewards: 40,
    });
    await posteriors.put({ arm_id: arm(b.body.campaign_id), context: '*', impressions: 1000, rewards: 20 });

    expect(
      (await h.call('GET', `/admin/campaigns/${a.body.campaign_id}/stats`, { role: 'viewer' })).status,
    ).toBe(403);
    const res = await h.call('GET', `/admin/campaigns/${a.body.campaign_id}/stats`, { role: 'analyst' });
    expect(res.status).toBe(200);
    const [all, mobile] = res.body.contexts;
    // Prior Beta(2, 8) updated by 80 clicks in 1000 impressions: Beta(82, 928).
    expect(all).toMatchObject({
      context: '*',
      impressions: 1000,
      clicks: 80,
      conversions: 8,
      ctr: 0.08,
      conversion_rate: 0.1,
      posterior: { alpha: 82, beta: 928 },
      competitors: 1,
    });
    expect(all.posterior.mean).toBeCloseTo(82 / 1010, 12);
    const sd = Math.sqrt((82 * 928) / (1010 ** 2 * 1011));
    expect(all.posterior.interval[0]).toBeCloseTo(82 / 1010 - 1.96 * sd, 2);
    expect(all.probability_best).toBeGreaterThan(0.999);
    expect(mobile).toMatchObject({
      context: 'mobile|evening',
      ctr: 0.1,
      competitors: 0,
      probability_best: 1,
    });
  });
});
