import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { recommendAppFor } from '../../origin-lambdas/recommend/wire';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import {
  getRecs,
  type OriginStack,
  startOriginStack,
  unitMean,
  writePrefs,
  writeUserState,
} from '../helpers/origin-stack';

const PATIENT = { RETRIEVAL_TIMEOUT_MS: '5000', MODEL_TIMEOUT_MS: '5000', DYNAMODB_TIMEOUT_MS: '5000' };
type App = ReturnType<typeof recommendAppFor>;

/**
 * The in-memory item store must serve what the DynamoDB item cache serves: the same candidates,
 * scored the same, behind the same filters, levels and explanations. Exploration draws are random
 * per request, so the deterministic parts are compared (the scored candidate list, counts, level)
 * and the page is checked against the filters.
 */
describe('recommend with ITEM_STORE=memory against the DynamoDB item cache', () => {
  let stack: OriginStack;
  let dynamoApp: App;
  let memoryApp: App;
  let books: CatalogItem[];
  const deleted = new Set<string>();
  const unavailable = new Set<string>();
  const german = new Set<string>();
  const adult = new Set<string>();

  beforeAll(async () => {
    stack = await startOriginStack('recstore', 360);
    books = stack.items.filter((i) => i.category === 'books');
    // The most similar books to the users' history carry every flag the filters read.
    const edits = books.slice(1, 9).map((b, n) => {
      if (n < 2) deleted.add(b.item_id);
      else if (n < 4) unavailable.add(b.item_id);
      else if (n < 6) german.add(b.item_id);
      else adult.add(b.item_id);
      return {
        ...b,
        ...(n < 2
          ? { deleted: true }
          : n < 4
            ? { available: false }
            : n < 6
              ? { regions: ['DE'] }
              : { min_age: 18 }),
      };
    });
    await stack.catalog.putItems(edits);
    const history = books.slice(0, 10).map((b) => b.item_id);
    await writeUserState(stack, 'u-content', { eventCount: 3, recentItems: [books[0]!.item_id] });
    await writeUserState(stack, 'u-taste', {
      eventCount: 12,
      recentItems: history,
      embedding: unitMean(books.slice(0, 10).map((b) => b.embedding)),
      affinities: { books: 6 },
    });
    await writePrefs(stack, 'u-taste', { blocked_categories: ['music'], country: 'FR', age: 16 });
    await writeUserState(stack, 'u-de', { eventCount: 3, recentItems: [books[0]!.item_id] });
    await writePrefs(stack, 'u-de', { country: 'DE', age: 30 });
    dynamoApp = stack.app(PATIENT);
    memoryApp = await stack.readyApp({ ...PATIENT, ITEM_STORE: 'memory' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each([
    ['a content user', 'user_id=u-content&limit=20'],
    ['a collaborative user with blocks, a country and an age', 'user_id=u-taste&limit=20'],
    ['a German adult', 'user_id=u-de&limit=20'],
    ['an anonymous visitor', 'anonymous_id=anon-1&limit=10'],
    ['a category filter', 'user_id=u-content&limit=10&categories=books'],
  ])('serves %s the same candidates, scores and level', async (_, query) => {
    const [fromDynamo, fromMemory] = await Promise.all([
      getRecs(dynamoApp, `${query}&candidates=1`),
      getRecs(memoryApp, `${query}&candidates=1`),
    ]);

    expect(fromMemory.status).toBe(200);
    expect(fromMemory.body.fallback_level).toBe(fromDynamo.body.fallback_level);
    expect(fromMemory.body.candidates_retrieved).toBe(fromDynamo.body.candidates_retrieved);
    expect(fromMemory.body.candidates_scored).toBe(fromDynamo.body.candidates_scored);
    const wire = (c: Record<string, unknown>) => ({ ...c, freshness: undefined });
    expect(fromMemory.body.candidates?.map(wire)).toEqual(fromDynamo.body.candidates?.map(wire));
    expect(fromMemory.body.candidates?.length).toBeGreaterThan(0);
  });

  it('never serves deleted, unavailable, out-of-region or age-restricted items to a viewer they exclude', async () => {
    const { body } = await getRecs(memoryApp, 'user_id=u-taste&limit=20&candidates=1');
    const served = [...body.items.map((i) => i.item_id), ...(body.candidates ?? []).map((c) => c.item_id)];
    for (const id of served) {
      expect(deleted).not.toContain(id);
      expect(unavailable).not.toContain(id);
      expect(german).not.toContain(id);
      expect(adult).not.toContain(id);
    }
    expect(body.items.map((i) => i.category)).not.toContain('music');

    const de = await getRecs(memoryApp, 'user_id=u-de&limit=20&candidates=1');
    const deIds = (de.body.candidates ?? []).map((c) => c.item_id);
    expect(deIds.filter((id) => german.has(id) || adult.has(id)).length).toBeGreaterThan(0);
    for (const id of deIds) expect([...deleted, ...unavailable]).not.toContain(id);
  });

  it('explains content picks by the viewed title, read from the store', async () => {
    const { body } = await getRecs(memoryApp, 'user_id=u-content&limit=20&candidates=1');
    const because = body.items.filter((i) => i.reasons[0]?.code === 'because_viewed');
    expect(because.length).toBeGreaterThan(0);
    for (const i of because) expect(i.reasons[0]?.text).toBe(`Because you viewed ${books[0]?.title}`);
    for (const i of body.items) expect(i.title).toBe(stack.items.find((x) => x.item_id === i.item_id)?.title);
  });
});
