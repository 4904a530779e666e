import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer } from '../../local/model-server';
import { generateCatalog } from '../../local/seed/catalog';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { SageMakerModelEndpoint } from '../../origin-lambdas/adapters/sagemaker-model-endpoint';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { createRecommendApp } from '../../origin-lambdas/recommend/app';
import { GLOBAL_POPULAR_LIST, PopularSource } from '../../origin-lambdas/recommend/popular-source';
import type { RecommendationResponse } from '../../shared/schemas/recommendation';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

describe('recommend app on DynamoDB Local and the real model server', () => {
  let dynamo: TestDynamo;
  let model: Awaited<ReturnType<typeof startModelServer>>;
  const modelDir = mkdtempSync(join(tmpdir(), 'attune-rec-model-'));
  const catalogItems = generateCatalog({ items: 360 });
  let app: ReturnType<typeof createRecommendApp>;
  let users: DynamoUserStateStore;

  const get = async (query: string) => {
    const res = await app.request(`/v1/recommendations?${query}`);
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as RecommendationResponse & Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    [dynamo, model] = await Promise.all([
      startTestDynamo('rec'),
      startModelServer({ port: 0, modelDir, watch: false }),
    ]);
    const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    const catalog = new DynamoItemCatalog(doc, dynamo.prefix);
    users = new DynamoUserStateStore(doc, dynamo.prefix);
    await catalog.putItems(catalogItems);
    const popular = [...catalogItems].sort((a, b) => b.popularity - a.popularity).map((i) => i.item_id);
    await catalog.putList({
      list_id: GLOBAL_POPULAR_LIST,
      item_ids: popular,
      updated_at: new Date().toISOString(),
    });
    const endpoint = SageMakerModelEndpoint.fromTarget({
      endpoint: model.url,
      endpointName: 'attune-ranker',
      timeoutMs: 1000,
      pingUrl: `${model.url}/ping`,
    });
    app = createRecommendApp(
      {
        catalog,
        users,
        model: endpoint,
        popular: new PopularSource(catalog),
        dynamoTimeoutMs: 1000,
        modelTimeoutMs: 1000,
      },
      { dynamodb: () => catalog.health(), model: () => endpoint.health() },
    );
  });

  afterAll(async () => {
    await Promise.all([dynamo?.stop(), model?.close()]);
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('ranks popular candidates through the model and explains each item', async () => {
    const { status, headers, body } = await get('user_id=newcomer&surface=home&limit=10');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(10);
    expect(body).toMatchObject({
      fallback_level: 0,
      model_version: 'linear-default-v1',
      served_by: 'origin',
      surface: 'home',
    });
    expect(body.items.map((i) => i.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const scores = body.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const item of body.items) expect(item.reasons[0]?.text.length).toBeGreaterThan(0);
    expect(headers.get('server-timing')).toMatch(/rank;dur=/);
  });

  it('personalizes: a user who engaged with books gets books, and not the items they saw', async () => {
    const books = catalogItems.filter((i) => i.category === 'books').slice(0, 5);
    await users.putIfVersion(
      {
        user_id: 'reader',
        event_count: 5,
        recent_items: books.map((b) => b.item_id),
        recent_event_ids: [],
        version: 1,
      },
      0,
    );
    const { body } = await get('user_id=reader&limit=10');
    const categories = body.items.map((i) => i.category);
    expect(categories.filter((c) => c === 'books').length).toBeGreaterThanOrEqual(6);
    expect(body.items.map((i) => i.item_id)).not.toContain(books[0]!.item_id);
    expect(
      body.items.some((i) => i.reasons[0]?.code === 'because_viewed' || i.reasons[0]?.code === 'similar'),
    ).toBe(true);
  });

  it('returns the top scored candidates for the edge only when asked (candidates=1)', async () => {
    const plain = (await get('user_id=newcomer&limit=5')).body;
    expect(plain.candidates).toBeUndefined();

    const { body } = await get('user_id=newcomer&limit=5&candidates=1');

    const candidates = body.candidates ?? [];
    expect(candidates).toHaveLength(200);
    expect(candidates.slice(0, 5).map((c) => c.item_id)).toEqual(body.items.map((i) => i.item_id));
    const scores = candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const first = candidates[0]!;
    const item = catalogItems.find((i) => i.item_id === first.item_id)!;
    expect(first).toMatchObject({ category: item.category, title: item.title, source: 'popular' });
    expect(first.vector).toEqual(item.embedding.map((x) => Math.round(x * 1e4) / 1e4));
    expect(first.vector).toHaveLength(32);
    expect(first.popularity).toBeGreaterThan(0);
    expect(first.popularity).toBeLessThanOrEqual(1);
  });

  it('honours exclude', async () => {
    const first = (await get('user_id=newcomer&limit=3')).body.items.map((i) => i.item_id);
    const again = (await get(`user_id=newcomer&limit=3&exclude=${first.join(',')}`)).body.items.map(
      (i) => i.item_id,
    );
    expect(again.filter((id) => first.includes(id))).toEqual([]);
  });

  it('answers 400 problem+json naming the field', async () => {
    const res = await app.request('/v1/recommendations?user_id=u&limit=1000');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['limit']);
    const none = await app.request('/v1/recommendations?surface=home');
    expect(((await none.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('user_id');
  });

  it('with the model server stopped, orders by popularity at fallback level 1', async () => {
    await model.close();
    const { status, body } = await get('user_id=newcomer&limit=5');
    expect(status).toBe(200);
    expect(body).toMatchObject({ fallback_level: 1, model_version: 'popularity-fallback' });
    expect(body.items).toHaveLength(5);
  });

  it('with DynamoDB stopped too, serves the cached popular list, then never an empty one', async () => {
    await dynamo.standIn.stop();
    const { status, body } = await get('user_id=newcomer&limit=5');
    expect(status).toBe(200);
    expect(body.items.length).toBe(5);
    expect(body.fallback_level).toBeGreaterThanOrEqual(1);
  });
});
