import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModelBundle } from '../../local/model-server/index';
import { assignVariant } from '../../origin-lambdas/admin/experiments/bucketing';
import type { Experiment } from '../../origin-lambdas/admin/experiments/schemas';
import { ExperimentStore } from '../../origin-lambdas/admin/experiments/store';
import type { recommendAppFor } from '../../origin-lambdas/recommend/wire';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { edgeSlotsSchema, edgeSnapshotSchema, isPoolCandidate } from '../../shared/schemas/edge-slots';
import { DEFAULT_FEATURES } from '../../shared/schemas/ranking';
import { type CachedCandidate, type RecommendedItem, SURFACES } from '../../shared/schemas/recommendation';
import { tableName } from '../../shared/tables';
import {
  campaignFor,
  getRecs,
  type OriginStack,
  startOriginStack,
  unitMean,
  writeCampaign,
  writePrefs,
  writeRules,
  writeTrending,
  writeUserState,
} from '../helpers/origin-stack';

// Generous budgets: these tests are about what the funnel serves, not about its deadlines, and
// the first request of a fresh app builds the embedded index on a shared 2-core machine.
const PATIENT = { RETRIEVAL_TIMEOUT_MS: '5000', MODEL_TIMEOUT_MS: '5000', DYNAMODB_TIMEOUT_MS: '5000' };

const ids = (items: readonly RecommendedItem[]) => items.map((i) => i.item_id);

describe('recommend funnel over the real stand-ins', () => {
  let stack: OriginStack;
  let app: ReturnType<typeof recommendAppFor>;
  let byId: Map<string, CatalogItem>;
  let books: CatalogItem[];

  beforeAll(async () => {
    stack = await startOriginStack('recfunnel', 360);
    byId = new Map(stack.items.map((i) => [i.item_id, i]));
    books = stack.items.filter((i) => i.category === 'books');
    app = stack.app(PATIENT);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The page is well formed: contiguous positions, no repeats, every item a catalog item. */
  const expectWellFormed = (items: readonly RecommendedItem[], limit: number) => {
    expect(items.length).toBe(limit);
    expect(items.map((i) => i.position)).toEqual(items.map((_, n) => n));
    expect(new Set(ids(items)).size).toBe(items.length);
    for (const i of items) {
      expect(byId.get(i.item_id)?.category).toBe(i.category);
      expect(i.reasons).toHaveLength(1);
    }
  };

  it('serves an anonymous visitor with no history from the popular stage, with the full response shape', async () => {
    const { status, headers, body } = await getRecs(app, 'anonymous_id=anon-nothing&limit=10');

    expect(status).toBe(200);
    expect(body.cold_start_stage).toBe('popular');
    expect(body.fallback_level).toBe(0);
    expect(body.scorer).toBe('endpoint');
    expect(body.model_version).toBe(stack.model.modelVersion);
    expect(body.degraded).toBeUndefined();
    expect(body.request_id).toMatch(/.+/);
    expect(body.decision_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.served_by).toBe('origin');
    expect(body.candidates_scored).toBeGreaterThan(0);
    expect(body.candidates_retrieved).toBeGreaterThanOrEqual(body.candidates_scored);
    expect(Object.keys(body.timings_ms)).toEqual(
      expect.arrayContaining(['context', 'retrieval', 'hydrate', 'features', 'rank', 'rerank']),
    );
    expect(headers.get('server-timing')).toContain('rank;dur=');
    expect(headers.get('server-timing')).toContain('retrieval;dur=');
    expect(body.embedding_version).toBeUndefined();
    expectWellFormed(body.items, 10);
  });

  it('serves only the asked category at the category stage (categories=books)', async () => {
    const { body } = await getRecs(app, 'anonymous_id=anon-books&categories=books&limit=12');

    expect(body.cold_start_stage).toBe('category');
    expect(body.fallback_level).toBe(0);
    expectWellFormed(body.items, 12);
    expect(body.items.map((i) => byId.get(i.item_id)?.category)).toEqual(new Array(12).fill('books'));
  });

  it('serves a user with two events content-based, explained by the viewed titles, never their recent items', async () => {
    const recent = [books[0]!, books[1]!];
    await writeUserState(stack, 'u-content', { eventCount: 2, recentItems: recent.map((b) => b.item_id) });
    const first = await getRecs(app, 'user_id=u-content&limit=10');

    expect(first.body.cold_start_stage).toBe('content');
    expect(first.body.fallback_level).toBe(0);
    expectWellFormed(first.body.items, 10);
    const titles = new Set(recent.map((b) => `Because you viewed ${b.title}`));
    const becauseViewed = first.body.items.filter((i) => i.reasons[0]?.code === 'because_viewed');
    expect(becauseViewed.length).toBeGreaterThan(0);
    for (const i of becauseViewed) expect(titles.has(i.reasons[0]?.text ?? '')).toBe(true);
    // The two most popular books would top a popular list; having been viewed, they must not show.
    for (const r of recent) expect(ids(first.body.items)).not.toContain(r.item_id);

    const excluded = ids(first.body.items).slice(0, 4);
    const second = await getRecs(app, `user_id=u-content&limit=10&exclude=${excluded.join(',')}`);
    expectWellFormed(second.body.items, 10);
    for (const id of [...excluded, ...recent.map((r) => r.item_id)])
      expect(ids(second.body.items)).not.toContain(id);
  });

  it('serves a user with enough history and a taste embedding collaboratively, mostly in their category', async () => {
    const taste = books.slice(2, 6);
    await writeUserState(stack, 'u-collab', {
      eventCount: 12,
      recentItems: taste.map((b) => b.item_id),
      embedding: unitMean(taste.map((b) => b.embedding)),
      affinities: { books: 9, music: 1 },
    });

    const { body } = await getRecs(app, 'user_id=u-collab&limit=20&candidates=1');

    expect(body.cold_start_stage).toBe('collaborative');
    expect(body.embedding_version).toBe('1');
    expect(body.fallback_level).toBe(0);
    expectWellFormed(body.items, 20);
    const bookCount = body.items.filter((i) => i.category === 'books').length;
    expect(bookCount).toBeGreaterThan(body.items.length / 2);
    // The ranker itself (before the page's category cap) puts the user's category on top.
    const top = (body.candidates ?? []).slice(0, 20);
    expect(top.filter((c) => c.category === 'books').length).toBeGreaterThan(10);
    expect(body.candidates?.some((c) => c.source === 'collaborative')).toBe(true);
  });

  it('accepts the POST body: the current item anchors content retrieval and the price filter holds', async () => {
    const current = books[7]!;
    const res = await app.request('/v1/recommendations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        anonymous_id: 'anon-post',
        limit: 8,
        context: { current_item: current.item_id, country: 'fr' },
        filters: { price: { min: 20, max: 90 } },
      }),
    });

    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: RecommendedItem[]; cold_start_stage: string };
    expect(body.cold_start_stage).toBe('content');
    expectWellFormed(body.items, 8);
    expect(ids(body.items)).not.toContain(current.item_id);
    for (const i of body.items) {
      const price = byId.get(i.item_id)?.price ?? -1;
      expect(price).toBeGreaterThanOrEqual(20);
      expect(price).toBeLessThanOrEqual(90);
    }
  });

  it('answers a bad POST body and a bad query with 400 problem+json naming the field', async () => {
    const post = await app.request('/v1/recommendations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'u', filters: { price: { min: 50, max: 10 } } }),
    });
    expect(post.status).toBe(400);
    expect(post.headers.get('content-type')).toBe('application/problem+json');
    const postBody = (await post.json()) as { status: number; errors: { field: string }[] };
    expect(postBody.status).toBe(400);
    expect(postBody.errors.map((e) => e.field)).toEqual(['filters.price.max']);

    const notJson = await app.request('/v1/recommendations', { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('body');

    const get = await app.request('/v1/recommendations?user_id=u&limit=0');
    expect(get.status).toBe(400);
    expect(get.headers.get('content-type')).toBe('application/problem+json');
    expect(((await get.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'limit',
    ]);
  });

  it('explains every item by the source that retrieved it (candidates=1)', async () => {
    const viewed = books[12]!;
    const hot = books.slice(0, 5).map((b) => b.item_id);
    await writeTrending(stack, 'books', hot);
    await writeUserState(stack, 'u-explain', {
      eventCount: 3,
      recentItems: [viewed.item_id],
      affinities: { books: 4 },
    });
    const fresh = stack.app(PATIENT);

    const { body } = await getRecs(fresh, 'user_id=u-explain&limit=20&candidates=1');

    expect(body.fallback_level).toBe(0);
    const candidates = new Map((body.candidates ?? []).map((c) => [c.item_id, c]));
    const expected = (c: CachedCandidate) => {
      if ((c.source === 'content' || c.source === 'collaborative') && c.anchor_title)
        return { code: 'because_viewed', text: `Because you viewed ${c.anchor_title}` };
      if (c.source === 'trending') return { code: 'trending', text: `Trending in ${c.category}` };
      if (c.freshness >= 0.8) return { code: 'new', text: 'New this week' };
      if (c.source === 'collaborative') return { code: 'similar', text: 'Picked for your taste' };
      return { code: 'popular', text: `Popular in ${c.category}` };
    };
    const checked = new Map<string, number>();
    for (const item of body.items) {
      const c = candidates.get(item.item_id);
      expect(c).toBeDefined();
      if (!c || item.reasons[0]?.code === 'explore') continue;
      expect(item.reasons[0]).toEqual(expected(c));
      checked.set(c.source, (checked.get(c.source) ?? 0) + 1);
    }
    expect(checked.get('trending')).toBeGreaterThan(0);
    expect(checked.get('content')).toBeGreaterThan(0);
    for (const c of candidates.values()) {
      if (c.source === 'trending') expect(hot).toContain(c.item_id);
      if (c.source === 'content') expect(c.anchor_title).toBe(viewed.title);
    }
  });

  it("keeps a known user's level-0 page as their last good list", async () => {
    await writeUserState(stack, 'u-lastgood', { eventCount: 1, recentItems: [books[20]!.item_id] });

    const { body } = await getRecs(app, 'user_id=u-lastgood&limit=6');

    expect(body.fallback_level).toBe(0);
    const row = await stack.doc.send(
      new GetCommand({
        TableName: tableName(stack.dynamo.prefix, 'users'),
        Key: { user_id: 'u-lastgood', facet: 'lastgood#home' },
      }),
    );
    const saved = (row.Item?.items ?? []) as { item_id: string; category: string; title?: string }[];
    expect(saved.map((s) => s.item_id)).toEqual(ids(body.items));
    expect(saved.map((s) => s.category)).toEqual(body.items.map((i) => i.category));
    expect(row.Item?.at).toEqual(expect.any(Number));
  });

  it('honours the user block lists on a level-0 page', async () => {
    await writeUserState(stack, 'u-blocks', { eventCount: 2, recentItems: [books[3]!.item_id] });
    await writePrefs(stack, 'u-blocks', {
      blocked_categories: ['books', 'music'],
      blocked_items: ['item-00001', 'item-00002', 'item-00003'],
    });

    const { body } = await getRecs(app, 'user_id=u-blocks&limit=20');

    expect(body.fallback_level).toBe(0);
    expectWellFormed(body.items, 20);
    for (const i of body.items) {
      expect(['books', 'music']).not.toContain(byId.get(i.item_id)?.category);
      expect(['item-00001', 'item-00002', 'item-00003']).not.toContain(i.item_id);
    }
  });

  // Rules and campaigns are global to the surface: these run last.
  it('places a pinned item at its position (fresh container: rules are cached 15 s)', async () => {
    const pinned = 'item-00300';
    await writeRules(stack, 'home', { pinned_items: [{ item_id: pinned, position: 0 }] });
    const fresh = stack.app(PATIENT);

    const { body } = await getRecs(fresh, 'anonymous_id=anon-pinned&limit=10');

    expect(body.fallback_level).toBe(0);
    expectWellFormed(body.items, 10);
    expect(body.items[0]?.item_id).toBe(pinned);
    expect(ids(body.items).filter((id) => id === pinned)).toHaveLength(1);
  });

  it("serves an active campaign's creative item at the rule set's sponsored position", async () => {
    const promoted = 'item-00250';
    await writeRules(stack, 'home', {
      sponsored_positions: [2],
      pinned_items: [{ item_id: 'item-00300', position: 0 }],
    });
    await writeCampaign(stack, campaignFor('camp-home', ['home'], [promoted]));
    await writeCampaign(stack, campaignFor('camp-cart', ['cart'], ['item-00251']));
    const fresh = stack.app(PATIENT);

    const { body } = await getRecs(fresh, 'anonymous_id=anon-sponsored&limit=10');

    expect(body.fallback_level).toBe(0);
    expectWellFormed(body.items, 10);
    expect(body.items[0]?.item_id).toBe('item-00300');
    expect(body.items[2]).toMatchObject({
      item_id: promoted,
      sponsored: true,
      reasons: [{ code: 'sponsored', text: 'Sponsored' }],
    });
    expect(body.items.filter((i) => i.sponsored)).toHaveLength(1);
    expect(ids(body.items)).not.toContain('item-00251');
  });

  it('hands the edge its slot inputs with the candidates: the arms this user may see, the exploration pool, the rules', async () => {
    const fresh = stack.app(PATIENT);
    const { body } = await getRecs(fresh, 'anonymous_id=anon-edge-slots&limit=10&candidates=1');

    expect(body.items[2]).toMatchObject({ item_id: 'item-00250', sponsored: true, campaign_id: 'camp-home' });
    const slots = edgeSlotsSchema.parse(body.slots);
    // Surface targeting ran at the origin: the cart campaign is not this home page's arm.
    expect(slots.sponsored.map((a) => a.campaign_id)).toEqual(['camp-home']);
    expect(slots.sponsored[0]).toMatchObject({
      alpha: 1,
      beta: 1,
      priority: 100,
      item: { item_id: 'item-00250', sponsored: true, campaign_id: 'camp-home' },
    });
    expect(slots.rules.sponsoredPositions).toEqual([2]);
    expect(slots.rules.pinned).toEqual([{ item_id: 'item-00300', position: 0 }]);
    expect(slots.pool.length).toBeGreaterThan(10);
    expect(slots.pool.map((c) => c.item_id)).toContain('item-00300');
    for (const c of slots.pool) expect(c.alpha).toBeGreaterThanOrEqual(1);
    // Pool items that are in the candidate list travel by id; the others whole.
    const inList = new Set((body.candidates ?? []).map((c) => c.item_id));
    for (const c of slots.pool) expect(isPoolCandidate(c)).toBe(!inList.has(c.item_id));
  });

  it("applies a running experiment's ranking overrides to the subject's variant only, and tells the edge", async () => {
    const experiment: Experiment = {
      experiment_id: 'exp-no-explore',
      name: 'no exploration, one per category',
      description: '',
      surfaces: ['home'],
      traffic: 1,
      variants: [
        { name: 'control', weight: 1, ranking: {} },
        {
          name: 'strict',
          weight: 1,
          ranking: { exploration_share: 0, max_items_per_category: 1, colour: 'red' },
        },
      ],
      control: 'control',
      guardrails: [],
      salt: 'exp-salt',
      status: 'running',
      version: 1,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    };
    await new ExperimentStore(stack.doc, stack.dynamo.prefix).create(experiment);
    const ids = Array.from({ length: 40 }, (_, i) => `anon-exp-${i}`);
    const strict = ids.find((id) => assignVariant(experiment, id) === 'strict') as string;
    const control = ids.find((id) => assignVariant(experiment, id) === 'control') as string;
    const fresh = stack.app(PATIENT);

    const treated = (await getRecs(fresh, `anonymous_id=${strict}&limit=10&candidates=1`)).body;
    const plain = (await getRecs(fresh, `anonymous_id=${control}&limit=10&candidates=1`)).body;

    expect(treated.experiments).toEqual([{ experiment_id: 'exp-no-explore', variant: 'strict' }]);
    expect(plain.experiments).toEqual([{ experiment_id: 'exp-no-explore', variant: 'control' }]);
    expect(treated.items.filter((i) => i.reasons[0]?.code === 'explore')).toEqual([]);
    const organic = treated.items.filter((i) => !i.sponsored && i.item_id !== 'item-00300');
    expect(new Set(organic.map((i) => i.category)).size).toBe(organic.length);
    expect(plain.items.some((i) => i.reasons[0]?.code === 'explore')).toBe(true);
    // The edge gets the overrides, to apply over whichever rules it has (the unknown key is dropped).
    expect(edgeSlotsSchema.parse(treated.slots).overrides).toEqual({
      explorationShare: 0,
      maxPerCategory: 1,
    });
    expect(edgeSlotsSchema.parse(plain.slots).overrides).toBeUndefined();
    await new ExperimentStore(stack.doc, stack.dynamo.prefix).replace(
      { ...experiment, status: 'stopped', version: 2 },
      1,
    );
  });

  it("ranks a model experiment's subjects with their variant's model_version, and an unknown version with the default", async () => {
    // Another version in the model server's registry, not current: only targeted requests reach it.
    await writeModelBundle(stack.modelDir, 'exp-model-v2', {
      featureNames: [...DEFAULT_FEATURES],
      weights: [-1, 2, 0.5, 0.5],
      bias: 0,
    });
    const experiment: Experiment = {
      experiment_id: 'exp-model-ab',
      name: 'new ranker',
      description: '',
      surfaces: ['home'],
      traffic: 1,
      variants: [
        { name: 'control', weight: 1, ranking: {} },
        { name: 'new-model', weight: 1, model_version: 'exp-model-v2', ranking: {} },
        { name: 'ghost', weight: 1, model_version: 'never-deployed', ranking: {} },
      ],
      control: 'control',
      guardrails: [],
      salt: 'model-salt',
      status: 'running',
      version: 1,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    };
    const store = new ExperimentStore(stack.doc, stack.dynamo.prefix);
    await store.create(experiment);
    const subjects = Array.from({ length: 60 }, (_, i) => `anon-model-${i}`);
    const subjectIn = (variant: string) => subjects.find((id) => assignVariant(experiment, id) === variant);
    const fresh = stack.app(PATIENT);

    try {
      const treated = (await getRecs(fresh, `anonymous_id=${subjectIn('new-model')}&limit=10`)).body;
      const plain = (await getRecs(fresh, `anonymous_id=${subjectIn('control')}&limit=10`)).body;
      const ghost = (await getRecs(fresh, `anonymous_id=${subjectIn('ghost')}&limit=10`)).body;

      expect(treated.experiments).toEqual([{ experiment_id: 'exp-model-ab', variant: 'new-model' }]);
      expect(treated).toMatchObject({ model_version: 'exp-model-v2', scorer: 'endpoint', fallback_level: 0 });
      expect(plain).toMatchObject({
        model_version: stack.model.modelVersion,
        scorer: 'endpoint',
        fallback_level: 0,
      });
      // The endpoint refused the version: the default variant scored, the answer says so and is full.
      expect(ghost.experiments).toEqual([{ experiment_id: 'exp-model-ab', variant: 'ghost' }]);
      expect(ghost).toMatchObject({
        model_version: stack.model.modelVersion,
        scorer: 'endpoint',
        fallback_level: 0,
      });
      expectWellFormed(ghost.items, 10);
      expectWellFormed(treated.items, 10);
    } finally {
      await store.replace({ ...experiment, status: 'stopped', version: 2 }, 1);
    }
  });

  it("serves the edge snapshot: live and paused campaigns with their posteriors, and every surface's rules", async () => {
    await writeCampaign(stack, campaignFor('camp-paused', ['home'], ['item-00260'], { status: 'paused' }));
    await writeCampaign(
      stack,
      campaignFor('camp-primed', ['home'], ['item-00261'], {
        bandit: { prior_alpha: 3, prior_beta: 7, exploration_share: 0.1 },
      }),
    );
    const res = await stack.app(PATIENT).request('/v1/edge/snapshot');

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=5');
    const snapshot = edgeSnapshotSchema.parse(await res.json());
    expect(snapshot.campaigns['camp-home']).toEqual({ live: true, alpha: 1, beta: 1 });
    expect(snapshot.campaigns['camp-paused']).toEqual({ live: false, alpha: 1, beta: 1 });
    expect(snapshot.campaigns['camp-primed']).toEqual({ live: true, alpha: 3, beta: 7 });
    expect(Object.keys(snapshot.rules).sort()).toEqual([...SURFACES].sort());
    expect(snapshot.rules.home?.sponsoredPositions).toEqual([2]);
    expect(snapshot.rules.cart?.sponsoredPositions).toEqual([]);
  });
});
