import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryCentroids, DEMO_CATEGORIES, generateCatalog } from '../../local/seed/catalog';
import type { Interaction } from '../../local/training/interactions';
import { publishRelated } from '../../local/training/publish-related';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { onError } from '../../origin-lambdas/common/errors';
import { type RequestIdVariables, requestId } from '../../origin-lambdas/common/request-id';
import { DynamoUserContextReader } from '../../origin-lambdas/recommend/context/user-context-reader';
import type { RelatedDeps } from '../../origin-lambdas/related/related';
import { registerRelatedRoute } from '../../origin-lambdas/related/route';
import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { VectorIndex } from '../../shared/ports/vector-index';
import { type RelatedResponse, relatedResponseSchema } from '../../shared/schemas/related';
import { tableName } from '../../shared/tables';
import { cosine } from '../../shared/vector-math';
import { encodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

// 240 demo items: 12 categories round-robin, so home = item-00001, -00013, -00025, -00037, ...
const generated = generateCatalog({ items: 240 });
const catalogItems: CatalogItem[] = [
  ...generated.map((i) => {
    if (i.item_id === 'item-00025') return { ...i, deleted: true };
    if (i.item_id === 'item-00037') return { ...i, available: false };
    return i;
  }),
  // In the catalog but not in the index's space (8-d): no content neighbours, no co-interactions.
  { ...generated[0]!, item_id: 'item-lonely', title: 'Lonely Lamp', embedding: Array(8).fill(0.5) },
];
const byId = new Map(catalogItems.map((i) => [i.item_id, i]));
const anchor = byId.get('item-00001')!;

/** Users 0-19 view the anchor and item-00050, 0-9 also item-00099, 0-4 also the deleted item-00025. */
function interactions(): Interaction[] {
  const out: Interaction[] = [];
  const view = (u: number, item: string) =>
    out.push({ user: `u${u}`, item, value: 1, at: 1_700_000_000_000 + u });
  for (let u = 0; u < 20; u++) {
    view(u, 'item-00001');
    view(u, 'item-00050');
    if (u < 10) view(u, 'item-00099');
    if (u < 5) view(u, 'item-00025');
  }
  for (let u = 20; u < 30; u++) {
    view(u, 'item-00002');
    view(u, 'item-00003');
  }
  return out;
}

describe('GET /v1/items/:id/related on DynamoDB Local and the usearch index', () => {
  let dynamo: TestDynamo;
  let catalog: DynamoItemCatalog;
  let deps: RelatedDeps;
  let published: { lists: number };

  const appFor = (d: RelatedDeps) => {
    const app = new Hono<{ Variables: RequestIdVariables }>();
    app.use(requestId());
    app.onError(onError);
    registerRelatedRoute(app, d);
    return app;
  };
  const get = async (path: string, d: RelatedDeps = deps) => {
    const res = await appFor(d).request(path);
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const related = async (path: string, d?: RelatedDeps) => {
    const r = await get(path, d);
    expect(r.status).toBe(200);
    return { ...r, body: relatedResponseSchema.parse(r.body) as RelatedResponse };
  };

  beforeAll(async () => {
    dynamo = await startTestDynamo('rel');
    const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    catalog = new DynamoItemCatalog(doc, dynamo.prefix);
    const users = new DynamoUserStateStore(doc, dynamo.prefix);
    const index = new UsearchVectorIndex({ dimensions: 32 });
    await Promise.all([
      catalog.putItems(catalogItems),
      index.upsert(generated.map((i) => ({ id: i.item_id, vector: i.embedding, category: i.category }))),
    ]);
    const home = generated.filter((i) => i.category === 'home').map((i) => i.item_id);
    const updated_at = new Date().toISOString();
    await catalog.putList({
      list_id: LIST_IDS.categoryPopular('home'),
      item_ids: home.slice(0, 6),
      updated_at,
    });
    await catalog.putList({
      list_id: LIST_IDS.globalPopular,
      item_ids: generated.map((i) => i.item_id),
      updated_at,
    });
    // The training step under test writes the co-interaction lists the route reads.
    published = await publishRelated(catalog, interactions(), { now: new Date(Date.UTC(2026, 0, 1)) });
    const games = DEMO_CATEGORIES.findIndex((c) => c.name === 'games');
    await users.putIfVersion(
      encodeProfile({
        user_id: 'taste-games',
        event_count: 3,
        recent_items: [],
        version: 1,
        embedding: categoryCentroids()[games]!,
      }),
      0,
    );
    // A user who blocked the shoes category and one home item, and bought another.
    await doc.send(
      new PutCommand({
        TableName: tableName(dynamo.prefix, 'users'),
        Item: {
          user_id: 'picky',
          facet: 'prefs',
          blocked_categories: ['shoes'],
          blocked_items: ['item-00013'],
        },
      }),
    );
    await users.putIfVersion(
      {
        user_id: 'picky',
        event_count: 1,
        recent_items: [],
        version: 1,
        purchased: ['item-00049'],
      } as never,
      0,
    );
    deps = {
      catalog,
      index,
      contexts: new DynamoUserContextReader(doc, dynamo.prefix),
      dynamoTimeoutMs: 2000,
    };
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('the training step publishes best-first co-interaction lists', async () => {
    // Items with co-interactions: 00001, 00050, 00099, 00025, 00002, 00003.
    expect(published.lists).toBe(6);
    expect(await catalog.getList(LIST_IDS.coInteraction('item-00001'))).toEqual({
      list_id: 'related:item-00001',
      item_ids: ['item-00050', 'item-00099', 'item-00025'],
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    expect((await catalog.getList(LIST_IDS.coInteraction('item-00002')))?.item_ids).toEqual(['item-00003']);
    expect(await catalog.getList(LIST_IDS.coInteraction('item-00240'))).toBeUndefined();
  });

  it('blends content neighbours and co-interactions, publicly cacheable', async () => {
    const { headers, body } = await related('/v1/items/item-00001/related?limit=10');

    expect(headers.get('cache-control')).toBe('public, max-age=300');
    expect(headers.get('x-request-id')).toBe(body.request_id);
    expect(body).toMatchObject({
      item_id: 'item-00001',
      model_version: 'related-v1',
      personalized: false,
      sources: { co_interaction: 1, popular: 0 },
    });
    expect(body.items).toHaveLength(10);
    const ids = body.items.map((i) => i.item_id);
    expect(ids).not.toContain('item-00001');
    expect(ids).not.toContain('item-00025'); // deleted, though second-best co-interaction
    expect(ids).not.toContain('item-00037'); // unavailable, though a same-category neighbour
    expect(body.items.map((i) => i.position)).toEqual([...Array(10).keys()]);
    const scores = body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Co-interacted items: 0.5 * cos + 0.5 / (1 + rank), explained by the anchor's title.
    const co50 = body.items.find((i) => i.item_id === 'item-00050')!;
    expect(co50.score).toBeCloseTo(
      0.5 * cosine(anchor.embedding, byId.get('item-00050')!.embedding) + 0.5,
      5,
    );
    expect(co50.reasons[0]).toEqual({ code: 'similar', text: `Often viewed together with ${anchor.title}` });
    // item-00099 (shoes, co-interaction rank 1) scores below ten same-category neighbours.
    const co99 = 0.5 * cosine(anchor.embedding, byId.get('item-00099')!.embedding) + 0.25;
    expect(ids).not.toContain('item-00099');
    expect(co99).toBeLessThan(Math.min(...scores));

    // The rest are content neighbours: 0.5 * cos, "Similar to ...".
    const content = body.items.filter((i) => i.item_id !== 'item-00050');
    expect(body.sources.content).toBe(content.length);
    for (const i of content) {
      expect(i.reasons).toEqual([{ code: 'similar', text: `Similar to ${anchor.title}` }]);
      expect(i.score).toBeCloseTo(0.5 * cosine(anchor.embedding, byId.get(i.item_id)!.embedding), 5);
      expect(i).toMatchObject({ title: byId.get(i.item_id)!.title, category: byId.get(i.item_id)!.category });
    }
    // Same-category items sit near cosine 0.85, so the content neighbours are home items.
    expect(content.filter((i) => i.category === 'home').length).toBeGreaterThanOrEqual(content.length - 1);
  });

  it('personalizes with the user taste embedding and then answers privately', async () => {
    const plain = (await related('/v1/items/item-00001/related?limit=50')).body;
    expect(plain.sources.co_interaction).toBe(2);
    expect(plain.items.find((i) => i.item_id === 'item-00099')?.score).toBeCloseTo(
      0.5 * cosine(anchor.embedding, byId.get('item-00099')!.embedding) + 0.25,
      5,
    );
    const { headers, body } = await related(
      '/v1/items/item-00001/related?limit=50&user_id=taste-games&surface=item',
    );

    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(body).toMatchObject({ personalized: true, surface: 'item' });
    const taste = categoryCentroids()[DEMO_CATEGORIES.findIndex((c) => c.name === 'games')]!;
    const before = new Map(plain.items.map((i) => [i.item_id, i.score]));
    let compared = 0;
    for (const i of body.items) {
      const old = before.get(i.item_id);
      if (old === undefined || i.reasons[0]?.code === 'popular') continue;
      compared++;
      expect(i.score - old).toBeCloseTo(0.25 * cosine(taste, byId.get(i.item_id)!.embedding), 5);
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('never shows a personalized caller what they blocked or bought, in the blend or the top-up', async () => {
    const plain = (await related('/v1/items/item-00001/related?limit=50')).body;
    const { body } = await related('/v1/items/item-00001/related?limit=50&user_id=picky');
    const shown = body.items.map((i) => i.item_id);

    // Unpersonalized, all three are on the shelf: shoes items, 00013 and 00049.
    expect(plain.items.some((i) => i.category === 'shoes')).toBe(true);
    expect(plain.items.map((i) => i.item_id)).toEqual(expect.arrayContaining(['item-00013', 'item-00049']));
    expect(body.items.filter((i) => i.category === 'shoes')).toEqual([]);
    expect(shown).not.toContain('item-00013');
    expect(shown).not.toContain('item-00049');
    expect(body.items.length).toBeGreaterThan(0);
    // The lonely item's shelf comes from the popular lists, filtered the same way.
    const lonely = (await related('/v1/items/item-lonely/related?limit=4&user_id=picky')).body;
    expect(lonely.items.map((i) => i.item_id)).not.toContain('item-00013');
    expect(lonely.items.map((i) => i.item_id)).not.toContain('item-00049');
    expect(lonely.items.filter((i) => i.category === 'shoes')).toEqual([]);
  });

  it('a user without a stored embedding still gets the private, unpersonalized blend', async () => {
    const { headers, body } = await related('/v1/items/item-00001/related?limit=5&user_id=nobody');
    const plain = (await related('/v1/items/item-00001/related?limit=5')).body;
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(body.personalized).toBe(false);
    expect(body.items).toEqual(plain.items);
  });

  it('tops up from the category, then the global, popular list when the item has no neighbours', async () => {
    const { body } = await related('/v1/items/item-lonely/related?limit=4');

    expect(body.sources).toEqual({ content: 0, co_interaction: 0, popular: 4 });
    // home list: 00001, 00013, 00025 (deleted), 00037 (unavailable), 00049, 00061; then global.
    expect(body.items.map((i) => [i.item_id, i.score, i.reasons[0]?.text])).toEqual([
      ['item-00001', 0, 'Popular in home'],
      ['item-00013', 0, 'Popular in home'],
      ['item-00049', 0, 'Popular in home'],
      ['item-00061', 0, 'Popular in home'],
    ]);
    const wide = (await related('/v1/items/item-lonely/related?limit=6')).body;
    expect(wide.items.slice(4).map((i) => [i.item_id, i.reasons[0]])).toEqual([
      ['item-00002', { code: 'popular', text: 'Popular right now' }],
      ['item-00003', { code: 'popular', text: 'Popular right now' }],
    ]);
  });

  it('keeps serving from co-interactions and popular lists when the vector index fails', async () => {
    const broken: VectorIndex = {
      dimensions: 32,
      upsert: async () => {},
      remove: async () => {},
      size: async () => 0,
      search: async () => {
        throw new Error('index offline');
      },
    };
    const { body } = await related('/v1/items/item-00001/related?limit=4', { ...deps, index: broken });

    expect(body.degraded).toEqual(['vector-index']);
    expect(body.sources).toEqual({ content: 0, co_interaction: 2, popular: 2 });
    expect(body.items.map((i) => i.item_id)).toEqual([
      'item-00050',
      'item-00099',
      'item-00013',
      'item-00049',
    ]);
  });

  it('answers 404 problem+json for unknown and deleted items', async () => {
    for (const id of ['item-99999', 'item-00025']) {
      const { status, headers, body } = await get(`/v1/items/${id}/related`);
      expect(status).toBe(404);
      expect(headers.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({ status: 404, title: 'Not found', detail: `item ${id} does not exist` });
    }
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=51', 'limit'],
    ['limit=ten', 'limit'],
    ['surface=nowhere', 'surface'],
    ['colour=red', '(body)'],
  ])('answers 400 problem+json for %s', async (query, field) => {
    const { status, headers, body } = await get(`/v1/items/item-00001/related?${query}`);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 400, title: 'Invalid request' });
    expect((body.errors as { field: string }[]).map((e) => e.field)).toEqual([field]);
  });

  it('defaults to 10 items', async () => {
    const { body } = await related('/v1/items/item-00050/related');
    expect(body.items).toHaveLength(10);
    expect(body.items[0]).toMatchObject({
      item_id: 'item-00001',
      reasons: [{ code: 'similar', text: `Often viewed together with ${byId.get('item-00050')!.title}` }],
    });
  });
});
