import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CATEGORIES } from '../../local/seed/catalog';
import { fallbackItems } from '../../shared/fallback-items';
import { type CatalogItem, MODALITIES } from '../../shared/ports/item-catalog';
import type { RecommendedItem } from '../../shared/schemas/recommendation';
import {
  campaignFor,
  getRecs,
  type OriginStack,
  startOriginStack,
  unitMean,
  writeCampaign,
  writePrefs,
  writeRules,
  writeUserState,
} from '../helpers/origin-stack';

const PATIENT = { RETRIEVAL_TIMEOUT_MS: '5000', MODEL_TIMEOUT_MS: '5000', DYNAMODB_TIMEOUT_MS: '5000' };
const CATEGORIES = DEMO_CATEGORIES.map((c) => c.name);
const ids = (items: readonly RecommendedItem[]) => items.map((i) => i.item_id);

/** Everything that may keep an item off a page, as a test case states it. */
interface Case {
  readonly history: 'none' | 'content' | 'collaborative';
  readonly slot: number;
  readonly limit: number;
  readonly prefsBlockedItems: string[];
  readonly prefsBlockedCategories: string[];
  readonly categories: string[];
  readonly modalities: string[];
  readonly price: readonly [number, number] | null;
  readonly exclude: string[];
  readonly ruleBlockedItems: string[];
  readonly ruleBlockedCategories: string[];
  readonly pinned: string[];
  readonly sponsoredPositions: number[];
  readonly campaignItems: string[];
}

/** The oracle, written independently of shared/scoring/filters.ts. */
function oracle(c: Case) {
  const blockedItems = new Set([...c.prefsBlockedItems, ...c.ruleBlockedItems, ...c.exclude]);
  const blockedCategories = new Set([...c.prefsBlockedCategories, ...c.ruleBlockedCategories]);
  const blocked = (i: Pick<CatalogItem, 'item_id' | 'category'>) =>
    blockedItems.has(i.item_id) || blockedCategories.has(i.category);
  const allowed = (i: CatalogItem) =>
    !blocked(i) &&
    (c.categories.length === 0 || c.categories.includes(i.category)) &&
    (c.modalities.length === 0 || c.modalities.includes(i.modality)) &&
    (c.price === null || (i.price >= c.price[0] && i.price <= c.price[1]));
  return { blocked, allowed };
}

function queryOf(c: Case, user: string): string {
  const q = new URLSearchParams({ user_id: user, limit: String(c.limit) });
  if (c.exclude.length) q.set('exclude', c.exclude.join(','));
  if (c.categories.length) q.set('categories', c.categories.join(','));
  if (c.modalities.length) q.set('modalities', c.modalities.join(','));
  if (c.price) {
    q.set('price_min', String(c.price[0]));
    q.set('price_max', String(c.price[1]));
  }
  return q.toString();
}

describe('recommend filters: no served item ever breaks a filter or a block list', () => {
  let stack: OriginStack;
  let byId: Map<string, CatalogItem>;
  let popular: string[];
  const recentOf: Record<Case['history'], string[]> = { none: [], content: [], collaborative: [] };

  beforeAll(async () => {
    stack = await startOriginStack('recfilters', 360);
    byId = new Map(stack.items.map((i) => [i.item_id, i]));
    popular = [...stack.items].sort((a, b) => b.popularity - a.popularity).map((i) => i.item_id);
    const books = stack.items.filter((i) => i.category === 'books').slice(0, 4);
    const music = stack.items.filter((i) => i.category === 'music').slice(0, 2);
    recentOf.content = music.map((m) => m.item_id);
    recentOf.collaborative = books.map((b) => b.item_id);
    for (const slot of [0, 1]) {
      await writeUserState(stack, `p-content-${slot}`, {
        eventCount: 2,
        recentItems: music.map((m) => m.item_id),
      });
      await writeUserState(stack, `p-collaborative-${slot}`, {
        eventCount: 9,
        recentItems: books.map((b) => b.item_id),
        embedding: unitMean(books.map((b) => b.embedding)),
        affinities: { books: 5 },
      });
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Serves `c` through a fresh container (rules and campaigns are cached per container). */
  async function serve(c: Case) {
    const user = `p-${c.history}-${c.slot}`;
    await writePrefs(stack, user, {
      blocked_items: c.prefsBlockedItems,
      blocked_categories: c.prefsBlockedCategories,
    });
    await writeRules(stack, 'home', {
      blocked_items: c.ruleBlockedItems,
      blocked_categories: c.ruleBlockedCategories,
      pinned_items: c.pinned.map((item_id, position) => ({ item_id, position: position * 2 })),
      sponsored_positions: c.sponsoredPositions,
    });
    await writeCampaign(stack, campaignFor('prop-campaign', ['home'], c.campaignItems));
    return { user, ...(await getRecs(stack.app(PATIENT), queryOf(c, user))) };
  }

  /** An item below the popular source's depth whose price no other item shares. */
  const deepItem = () => {
    const rank = new Map(popular.map((id, n) => [id, n]));
    const item = stack.items.find(
      (i) =>
        (rank.get(i.item_id) ?? 0) > 250 &&
        i.category !== 'books' &&
        stack.items.filter((o) => o.price === i.price).length === 1,
    );
    if (!item) throw new Error('the demo catalog has no deep item with a unique price');
    return item;
  };

  // The cases below were found by the property; they run first, before it writes rules.
  it('serves the one catalog item matching a narrow price filter, not popular items outside it', async () => {
    const deep = deepItem();

    const { body } = await getRecs(
      stack.app(PATIENT),
      `anonymous_id=d-anon&limit=5&price_min=${deep.price}&price_max=${deep.price}`,
    );

    expect(ids(body.items)).toEqual([deep.item_id]);
  });

  it("never lets a user's last good list override the request's filters", async () => {
    const deep = deepItem();
    const app = stack.app(PATIENT);
    const first = await getRecs(app, 'user_id=d-lastgood&limit=5');
    expect(first.body.fallback_level).toBe(0);

    const { body } = await getRecs(
      app,
      `user_id=d-lastgood&limit=5&price_min=${deep.price}&price_max=${deep.price}`,
    );

    expect(body.fallback_level, `served ${ids(body.items)} from the last good list`).not.toBe(2);
    expect(ids(body.items)).toEqual([deep.item_id]);
  });

  it('serves compiled items the user did not block when the first ones are blocked (limit 3)', async () => {
    const blockedCategories = ['home', 'electronics', 'shoes'];
    await writePrefs(stack, 'd-compiled', { blocked_categories: blockedCategories });

    // No item costs exactly 200: the funnel and every list come back empty.
    const { body } = await getRecs(
      stack.app(PATIENT),
      'user_id=d-compiled&limit=3&price_min=200&price_max=200',
    );

    expect(body.fallback_level).toBe(5);
    expect(body.items.length).toBeGreaterThan(0);
    for (const i of body.items) expect(blockedCategories).not.toContain(i.category);
  });

  it('still answers, below the funnel, when the user blocks every category', async () => {
    await writePrefs(stack, 'd-everything', { blocked_categories: CATEGORIES });

    const { status, body } = await getRecs(stack.app(PATIENT), 'user_id=d-everything&limit=4');

    // Whether these may be blocked items is a product decision (see the report): today they are.
    expect(status).toBe(200);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.fallback_level).toBeGreaterThanOrEqual(2);
  });

  it('holds for random block lists, request filters, pins and campaigns', async () => {
    // Pins, campaigns and blocks draw from one small pool of popular items so they collide often.
    const pool = () => fc.subarray(popular.slice(0, 16), { maxLength: 5 });
    const arbitrary: fc.Arbitrary<Case> = fc
      .record({
        history: fc.constantFrom('none' as const, 'content' as const, 'collaborative' as const),
        slot: fc.constantFrom(0, 1),
        limit: fc.integer({ min: 3, max: 16 }),
        prefsBlockedItems: pool(),
        prefsBlockedCategories: fc.subarray(CATEGORIES, { maxLength: 5 }),
        categories: fc.oneof(
          fc.constant<string[]>([]),
          fc.subarray(CATEGORIES, { minLength: 1, maxLength: 4 }),
        ),
        modalities: fc.oneof(
          fc.constant<string[]>([]),
          fc.subarray([...MODALITIES], { minLength: 1, maxLength: 2 }),
        ),
        price: fc.option(
          fc
            .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }))
            .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
        ),
        exclude: pool(),
        ruleBlockedItems: pool(),
        ruleBlockedCategories: fc.subarray(CATEGORIES, { maxLength: 2 }),
        pinned: pool(),
        sponsoredPositions: fc.subarray([1, 2, 3, 5], { maxLength: 2 }),
        campaignItems: fc.subarray(popular.slice(0, 16), { minLength: 1, maxLength: 3 }),
      })
      // The admin API refuses a rule set pinning an item it blocks; anything else may collide.
      .map((c) => ({ ...c, pinned: c.pinned.filter((id) => !c.ruleBlockedItems.includes(id)) }));

    await fc.assert(
      fc.asyncProperty(arbitrary, async (c) => {
        const { status, body } = await serve(c);
        const { blocked, allowed } = oracle(c);
        const served = body.items.map((i) => byId.get(i.item_id));

        expect(status).toBe(200);
        expect(body.items.length).toBeGreaterThan(0);
        expect(body.items.length).toBeLessThanOrEqual(c.limit);
        expect(body.items.map((i) => i.position)).toEqual(body.items.map((_, n) => n));
        expect(new Set(ids(body.items)).size).toBe(body.items.length);
        if (stack.items.some(allowed)) {
          for (const item of served) {
            expect(item).toBeDefined();
            expect(
              allowed(item as CatalogItem),
              `${item?.item_id} served at level ${body.fallback_level}`,
            ).toBe(true);
          }
        } else {
          // Nothing in the catalog may be served: the ladder still answers, below the funnel.
          expect(body.fallback_level).toBeGreaterThanOrEqual(2);
          // Blocks still hold there, unless the user blocked every item the code compiles in.
          if (fallbackItems(100).some((f) => !blocked({ item_id: f.item_id, category: f.category ?? '' })))
            for (const i of body.items)
              expect(blocked({ item_id: i.item_id, category: i.category ?? '' }), i.item_id).toBe(false);
        }
        if (body.fallback_level <= 1) {
          // The funnel never retrieves what the user just engaged with; only a marketer's pin or
          // a campaign's creative may bring it back (see the report).
          expect(body.cold_start_stage).toBeDefined();
          const organic = body.items.filter((i) => !i.sponsored && !c.pinned.includes(i.item_id));
          for (const id of recentOf[c.history]) expect(ids(organic)).not.toContain(id);
        }
      }),
      // Every run is a few DynamoDB writes and an in-process request; no shrinking on failure,
      // which would replay dozens of them: the counterexample is printed as found.
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 15), endOnFailure: true },
    );
  });
});
