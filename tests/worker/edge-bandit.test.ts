import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EdgeSlots, EdgeSnapshot } from '../../shared/schemas/edge-slots';
import type { CachedCandidate, RecommendationResponse } from '../../shared/schemas/recommendation';
import { DEFAULT_SURFACE_RULES } from '../../shared/scoring/surface-rules';
import { originResponse } from './helpers/factories';
import { installFakeOrigin, json } from './helpers/fake-origin';
import { callWorker } from './helpers/worker';

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

// Each test talks to its own origin URL: the snapshot store is per isolate and per origin, and
// the worker tests share one isolate.
// The user differs per test too, so the shared rate limiter's count per client stays low.
let n = 0;
let user = 'u0';
const freshOrigin = () => {
  n += 1;
  user = `bandit-user-${n}`;
  return `http://origin-${n}.bandit.test`;
};
const UNLIMITED = { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000' };

const candidate = (item_id: string, category: string, score: number): CachedCandidate => ({
  item_id,
  category,
  score,
  source: 'collaborative',
  popularity: 0.5,
  freshness: 0.1,
  title: `Title ${item_id}`,
});

const CATEGORIES = ['books', 'shoes', 'games', 'garden'];
const CANDIDATES = Array.from({ length: 30 }, (_, i) =>
  candidate(`c${String(i).padStart(2, '0')}`, CATEGORIES[i % 4] as string, 0.9 - i / 100),
);

function slots(overrides: Partial<EdgeSlots> = {}): EdgeSlots {
  return {
    rules: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [2], explorationShare: 0 },
    sponsored: [
      {
        campaign_id: 'good',
        priority: 100,
        alpha: 8,
        beta: 4,
        item: { ...candidate('ad-good', 'shoes', 0) },
      },
      {
        campaign_id: 'poor',
        priority: 100,
        alpha: 4,
        beta: 8,
        item: { ...candidate('ad-poor', 'books', 0) },
      },
    ],
    pool: [],
    ...overrides,
  };
}

async function seed(recordSlots: EdgeSlots, subject = user) {
  const record = {
    v: 2,
    stored_at: Date.now() - 1_000,
    response: originResponse(['c00', 'c01'], { decision_id: 'origin-dec' }),
    candidates: CANDIDATES,
    slots: recordSlots,
  };
  await env.RECS_KV.put(`recs:v1:${subject}:home`, JSON.stringify(record));
}

function snapshot(overrides: Partial<EdgeSnapshot> = {}): EdgeSnapshot {
  return {
    v: 1,
    generated_at: Date.now(),
    rules: { home: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [2], explorationShare: 0 } },
    campaigns: {
      good: { live: true, alpha: 8, beta: 4 },
      poor: { live: true, alpha: 4, beta: 8 },
    },
    ...overrides,
  };
}

async function page(origin: string, query = `user_id=${user}&surface=home&limit=10`) {
  const res = await callWorker(`/v1/recommendations?${query}`, {}, { ORIGIN_URL: origin, ...UNLIMITED });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-attune-cache')).toBe('hit');
  return (await res.json()) as RecommendationResponse;
}

describe('edge bandit: sponsored slots by Thompson sampling', () => {
  it('gives the slot to the better campaign most often and still tries the other', async () => {
    const base = freshOrigin();
    installFakeOrigin(base).on('GET', '/v1/edge/snapshot', json(snapshot()));
    await seed(slots());

    const wins = { good: 0, poor: 0 };
    const decisions = new Set<string>();
    for (let i = 0; i < 120; i++) {
      const body = await page(base);
      const ad = body.items.find((it) => it.sponsored);
      expect(ad?.position).toBe(2);
      expect(ad?.reasons[0]).toEqual({ code: 'sponsored', text: 'Sponsored' });
      wins[ad?.campaign_id as 'good' | 'poor'] += 1;
      decisions.add(body.decision_id);
    }
    // Beta(8, 4) against Beta(4, 8): the better arm wins about 90% of draws.
    expect(wins.good).toBeGreaterThan(80);
    expect(wins.poor).toBeGreaterThan(0);
    expect(wins.good + wins.poor).toBe(120);
    // Every re-scored page is its own decision, so rewards credit the draw that was shown.
    expect(decisions.size).toBe(120);
  });

  it('drops a campaign the snapshot says is paused, within one refresh', async () => {
    const base = freshOrigin();
    const origin = installFakeOrigin(base).on(
      'GET',
      '/v1/edge/snapshot',
      json(
        snapshot({
          campaigns: { good: { live: false, alpha: 8, beta: 4 }, poor: { live: true, alpha: 4, beta: 8 } },
        }),
      ),
    );
    await seed(slots());

    await page(base); // this isolate has no snapshot yet: it fetches one after answering
    expect(origin.callsTo('GET', '/v1/edge/snapshot')).toHaveLength(1);
    for (let i = 0; i < 20; i++) {
      const ad = (await page(base)).items.find((it) => it.sponsored);
      expect(ad?.campaign_id).toBe('poor');
    }
    // Within the TTL the held snapshot serves: no request per page.
    expect(origin.callsTo('GET', '/v1/edge/snapshot')).toHaveLength(1);
  });

  it('samples from the snapshot posterior, not the stale one in the record', async () => {
    const base = freshOrigin();
    // The record still believes in `good`; since then `poor` has earned far more clicks.
    installFakeOrigin(base).on(
      'GET',
      '/v1/edge/snapshot',
      json(
        snapshot({
          campaigns: { good: { live: true, alpha: 2, beta: 60 }, poor: { live: true, alpha: 60, beta: 2 } },
        }),
      ),
    );
    await seed(slots());
    await page(base);
    const winners = [];
    for (let i = 0; i < 20; i++)
      winners.push((await page(base)).items.find((it) => it.sponsored)?.campaign_id);
    expect(winners.filter((w) => w === 'poor').length).toBeGreaterThanOrEqual(19);
  });

  it("applies the snapshot's rules: a moved sponsored position", async () => {
    const base = freshOrigin();
    const rules = { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [0], explorationShare: 0 };
    installFakeOrigin(base).on('GET', '/v1/edge/snapshot', json(snapshot({ rules: { home: rules } })));
    await seed(slots());
    await page(base);
    const body = await page(base);
    expect(body.items[0]?.sponsored).toBe(true);
    expect(body.items.filter((it) => it.sponsored)).toHaveLength(1);
  });

  it("serves the record's own arms when the origin has no snapshot to give", async () => {
    const base = freshOrigin();
    const origin = installFakeOrigin(base).down();
    await seed(slots());
    const body = await page(base);
    expect(body.items.filter((it) => it.sponsored)).toHaveLength(1);
    expect(['good', 'poor']).toContain(body.items[2]?.campaign_id);
    expect(origin.callsTo('GET', '/v1/edge/snapshot').length).toBeGreaterThan(0);
  });
});

describe('edge bandit: exploration slots', () => {
  it('fills about a tenth of the page from the pool, never first, favouring the better posterior', async () => {
    const base = freshOrigin();
    installFakeOrigin(base).on('GET', '/v1/edge/snapshot', json(snapshot({ rules: {} })));
    const pool = [
      { ...candidate('x-strong', 'music', 0.1), alpha: 40, beta: 10 },
      { ...candidate('x-weak', 'music', 0.1), alpha: 10, beta: 40 },
    ];
    await seed(
      slots({ rules: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [] }, sponsored: [], pool }),
    );
    const chosen = { 'x-strong': 0, 'x-weak': 0 };
    for (let i = 0; i < 40; i++) {
      const body = await page(base);
      const explore = body.items.filter((it) => it.reasons[0]?.code === 'explore');
      expect(explore).toHaveLength(1); // round(10 · 0.1)
      expect(explore[0]?.position).toBeGreaterThan(0);
      expect(explore[0]?.reasons[0]?.text).toBe('Exploring something new');
      chosen[explore[0]?.item_id as 'x-strong' | 'x-weak'] += 1;
    }
    expect(chosen['x-strong']).toBeGreaterThan(35);
  });
});

describe('edge cache key: filters and context', () => {
  it('does not answer a filtered request from the unfiltered list, and caches it apart', async () => {
    const base = freshOrigin();
    const origin = installFakeOrigin(base)
      .on('GET', '/v1/edge/snapshot', json(snapshot()))
      .on(
        'GET',
        '/v1/recommendations',
        json({
          ...originResponse(['b1', 'b2']),
          candidates: [candidate('b1', 'books', 0.9), candidate('b2', 'books', 0.8)],
        }),
      );
    await seed(slots());

    const query = `user_id=${user}&surface=home&limit=10&categories=books`;
    const res = await callWorker(`/v1/recommendations?${query}`, {}, { ORIGIN_URL: base });
    expect(res.headers.get('x-attune-cache')).toBe('miss');
    expect(origin.callsTo('GET', '/v1/recommendations')[0]?.url.searchParams.get('categories')).toBe('books');
    const body = (await res.json()) as RecommendationResponse;
    expect(body.items.map((i) => i.item_id)).toEqual(['b1', 'b2']);

    const again = await callWorker(`/v1/recommendations?${query}`, {}, { ORIGIN_URL: base });
    expect(again.headers.get('x-attune-cache')).toBe('hit');
    expect(((await again.json()) as RecommendationResponse).items.map((i) => i.item_id)).toEqual([
      'b1',
      'b2',
    ]);
    // The plain list is untouched and still answers the plain request.
    const plain = await page(base);
    expect(plain.items.map((i) => i.item_id)).toContain('c00');
    expect(origin.callsTo('GET', '/v1/recommendations')).toHaveLength(1);
  });
});
