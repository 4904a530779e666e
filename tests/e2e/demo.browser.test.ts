import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Unstable_DevWorker, unstable_dev } from 'wrangler';
import { freePort } from '../../local/net/free-port';
import { REPO_ROOT } from '../../local/supervisor/node-service';
import type { EdgeSlots, EdgeSnapshot } from '../../shared/schemas/edge-slots';
import { eventSchema } from '../../shared/schemas/event';
import type { CachedCandidate, RecommendationResponse } from '../../shared/schemas/recommendation';
import type { RelatedResponse } from '../../shared/schemas/related';
import { DEFAULT_SURFACE_RULES } from '../../shared/scoring/surface-rules';

/** Debian's package; CI installs it with `apt-get install -y chromium`. */
const CHROMIUM = '/usr/bin/chromium';

const CATEGORIES = ['books', 'music', 'kitchen', 'outdoors'] as const;

/** 40 candidates over four categories; vectors point along their category's axis. */
const CANDIDATES: CachedCandidate[] = Array.from({ length: 40 }, (_, i) => {
  const category = CATEGORIES[i % CATEGORIES.length] as string;
  const vector = CATEGORIES.map((c) => (c === category ? 1 : 0.1));
  return {
    item_id: `demo-${String(i + 1).padStart(2, '0')}`,
    category,
    score: Math.round((0.95 - i * 0.01) * 100) / 100,
    source: i % 3 === 0 ? 'trending' : 'collaborative',
    popularity: 0.5,
    freshness: 0.2,
    vector,
    title: `${category[0]!.toUpperCase()}${category.slice(1)} pick ${i + 1}`,
  };
});

/** One campaign promoting demo-03: the edge puts it in the home rail's sponsored slot (position 2). */
const SLOTS: EdgeSlots = {
  rules: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [2], explorationShare: 0 },
  sponsored: [
    {
      campaign_id: 'camp-1',
      priority: 100,
      alpha: 2,
      beta: 8,
      item: { ...(CANDIDATES[2] as CachedCandidate), sponsored: true, campaign_id: 'camp-1' },
    },
  ],
  pool: [],
};

interface Recorded {
  readonly method: string;
  readonly url: URL;
  readonly body: string;
}

/** The origin API as the Worker sees it: fixed answers, and a record of every request. */
function originStandIn(): { server: Server; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => {
      body += String(chunk);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://origin.local');
      requests.push({ method: req.method ?? 'GET', url, body });
      if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
      if (req.method === 'GET' && url.pathname === '/v1/recommendations') {
        const answer: RecommendationResponse = {
          items: CANDIDATES.slice(0, 24).map((c, position) => ({
            item_id: c.item_id,
            score: c.score,
            position,
            reasons: [{ code: 'similar', text: 'Picked for your taste' }],
            sponsored: c.item_id === 'demo-03',
            title: c.title,
            category: c.category,
          })),
          request_id: 'origin',
          decision_id: `dec-${requests.length}`,
          surface: url.searchParams.get('surface') ?? 'home',
          model_version: 'stand-in-v1',
          fallback_level: 0,
          served_by: 'origin',
          candidates_retrieved: CANDIDATES.length,
          candidates_scored: CANDIDATES.length,
          timings_ms: { total: 1 },
          ...(url.searchParams.get('candidates') === '1' ? { candidates: CANDIDATES, slots: SLOTS } : {}),
        };
        return send(res, 200, answer);
      }
      if (req.method === 'GET' && url.pathname === '/v1/edge/snapshot') {
        const snapshot: EdgeSnapshot = {
          v: 1,
          generated_at: Date.now(),
          rules: { home: SLOTS.rules },
          campaigns: { 'camp-1': { live: true, alpha: 2, beta: 8 } },
        };
        return send(res, 200, snapshot);
      }
      if (req.method === 'POST' && url.pathname === '/v1/events') {
        const events = JSON.parse(body) as unknown[];
        return send(res, 202, { accepted: events.length, rejected: [] });
      }
      const related = /^\/v1\/items\/([^/]+)\/related$/.exec(url.pathname);
      if (req.method === 'GET' && related) {
        const anchor = decodeURIComponent(related[1]!);
        const limit = Number(url.searchParams.get('limit') ?? 10);
        const items = CANDIDATES.filter((c) => c.item_id !== anchor)
          .slice(10, 10 + limit)
          .map((c, position) => ({
            item_id: c.item_id,
            score: c.score,
            position,
            reasons: [{ code: 'because_viewed' as const, text: `Because you viewed ${anchor}` }],
            sponsored: false,
            title: c.title,
            category: c.category,
          }));
        const answer: RelatedResponse = {
          item_id: anchor,
          items,
          request_id: 'origin',
          model_version: 'related-v1',
          personalized: url.searchParams.has('user_id'),
          sources: { content: items.length, co_interaction: 0, popular: 0 },
          timings_ms: { total: 1 },
        };
        return send(res, 200, answer, { 'cache-control': 'public, max-age=300' });
      }
      return send(res, 404, { title: 'Not found' });
    });
  });
  return { server, requests };
}

describe('the /demo storefront in a real browser, against the Worker', () => {
  const persistTo = mkdtempSync(join(tmpdir(), 'attune-demo-'));
  const stand = originStandIn();
  let worker: Unstable_DevWorker | undefined;
  let browser: Browser | undefined;
  let opened: Page | undefined;
  let edge = '';

  /** The browser page; without Chromium every browser test fails (never skips) with the fix. */
  const page = (): Page => {
    if (opened) return opened;
    throw new Error(
      `${CHROMIUM} is missing: this test drives Debian's Chromium. Install it with: apt-get update && apt-get install -y chromium`,
    );
  };

  beforeAll(async () => {
    const originPort = await freePort();
    await new Promise<void>((resolve) => stand.server.listen(originPort, '127.0.0.1', resolve));
    process.env.WRANGLER_SEND_METRICS = 'false';
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
    worker = await unstable_dev(join(REPO_ROOT, 'edge-worker/src/index.ts'), {
      config: join(REPO_ROOT, 'wrangler.toml'),
      ip: '127.0.0.1',
      port: await freePort(),
      persistTo,
      // A loaded CI machine must not push the edge onto its fallbacks: this test is about the page.
      vars: { ORIGIN_URL: `http://127.0.0.1:${originPort}`, ORIGIN_TIMEOUT_MS: '5000' },
      logLevel: 'warn',
      experimental: { disableExperimentalWarning: true },
    });
    edge = `http://${worker.address}:${worker.port}`;
    if (!existsSync(CHROMIUM)) return;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    opened = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    opened.on('response', async (res) => {
      if (!new URL(res.url()).pathname.startsWith('/v1/recommendations')) return;
      const body = (await res.json().catch(() => undefined)) as { decision_id?: string } | undefined;
      if (body?.decision_id) decisions.add(body.decision_id);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await new Promise((resolve) => stand.server.close(resolve));
    rmSync(persistTo, { recursive: true, force: true });
  });

  /** Screenshots kept for people to look at (git-ignored; CI can upload the folder). */
  const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
  const screenshot = async (name: string) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, name);
    await page().screenshot({ path, fullPage: true });
    // A PNG, not an empty file: the first bytes are the PNG signature.
    expect(readFileSync(path).subarray(0, 4).toString('hex')).toBe('89504e47');
  };

  /** decision_id of every list the edge served the page. */
  const decisions = new Set<string>();

  const eventsAtOrigin = () =>
    stand.requests
      .filter((r) => r.method === 'POST' && r.url.pathname === '/v1/events')
      .flatMap((r) => JSON.parse(r.body) as Record<string, unknown>[]);

  it('serves an SDK under 8 KB that is plain ES2019 (lowering it to ES2019 changes nothing)', async () => {
    const res = await fetch(`${edge}/sdk.js`);
    const source = await res.text();

    const asIs = await transform(source, { loader: 'js', target: 'esnext' });
    const lowered = await transform(source, { loader: 'js', target: 'es2019' });

    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(Buffer.byteLength(source)).toBeLessThan(8 * 1024);
    expect(source).toBe(readFileSync(join(REPO_ROOT, 'edge-worker/src/static/sdk.js.txt'), 'utf8'));
    expect(lowered.code).toBe(asIs.code);
  });

  it('renders the home rail: cards with reasons, and the Sponsored badge on the sponsored item', async () => {
    await page().goto(`${edge}/demo`);
    const cards = page().locator('[data-testid="home-rail"] .card');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(12);

    const reasons = await cards.locator('.reason').allInnerTexts();
    const sponsored = page().locator('[data-testid="home-rail"] .card[data-item-id="demo-03"] .badge');

    expect(reasons).toHaveLength(12);
    for (const r of reasons) expect(r.trim().length).toBeGreaterThan(0);
    expect(await sponsored.textContent()).toBe('Sponsored');
    expect(reasons).toContain('Sponsored');
    const chips = await page().locator('#chips .chip').allInnerTexts();
    expect(chips.map((c) => c.toLowerCase())).toEqual(['all', ...CATEGORIES]);
    await screenshot('demo-home.png');
  });

  it('tracks a click that reaches the origin as a valid event, then shows the related rail', async () => {
    const first = page().locator('[data-testid="home-rail"] .card').first();
    const clicked = (await first.getAttribute('data-item-id'))!;

    await first.click();

    await expect
      .poll(() => page().locator('[data-testid="related-rail"] .card').count(), { timeout: 15_000 })
      .toBe(8);
    expect(new URL(page().url()).hash).toBe(`#/item/${clicked}`);
    const relatedReasons = await page().locator('[data-testid="related-rail"] .card .reason').allInnerTexts();
    expect(relatedReasons[0]).toBe(`Because you viewed ${clicked}`);
    const relatedCalls = stand.requests.filter((r) => r.url.pathname === `/v1/items/${clicked}/related`);
    expect(relatedCalls).toHaveLength(1);
    expect(relatedCalls[0]!.url.searchParams.get('limit')).toBe('8');

    await expect
      .poll(() => eventsAtOrigin().filter((e) => e.type === 'click').length, { timeout: 10_000 })
      .toBe(1);
    const click = eventsAtOrigin().find((e) => e.type === 'click')!;
    expect(eventSchema.safeParse(click).success).toBe(true);
    expect(click).toMatchObject({ item_id: clicked, surface: 'home', position: 0 });
    expect(typeof click.anonymous_id).toBe('string');
    expect(typeof click.session_id).toBe('string');
    // The edge re-ranked the list itself (its own Thompson draws): the click credits that decision.
    expect(decisions.has(click.decision_id as string)).toBe(true);
    expect(click.decision_id).not.toMatch(/^dec-/);
    expect(click).not.toHaveProperty('campaign_id');
  });

  it('refreshes the home rail for the session after the click: the clicked item has dropped out', async () => {
    const clicked = decodeURIComponent(new URL(page().url()).hash.replace('#/item/', ''));

    await page().locator('button', { hasText: 'Back to picks' }).click();

    const cards = page().locator('[data-testid="home-rail"] .card');
    await expect.poll(() => page().locator('#home-meta .note').count(), { timeout: 15_000 }).toBe(1);
    const ids = await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-item-id')));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(clicked);
    await screenshot('demo-home-after-click.png');
    // Every event the page sent was accepted by the origin's schema: the SDK matches it exactly.
    // The edge answers 202 once events are queued; its queue consumer reaches the origin a moment later.
    await expect
      .poll(() => eventsAtOrigin().map((e) => e.type), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['impression', 'click', 'view']));
    const events = eventsAtOrigin();
    for (const e of events) expect(eventSchema.safeParse(e).error?.issues).toBeUndefined();
    // The sponsored card's impression names its campaign, so the bandit credits the campaign's arm.
    await expect
      .poll(
        () => eventsAtOrigin().find((e) => e.type === 'impression' && e.item_id === 'demo-03')?.campaign_id,
        { timeout: 10_000 },
      )
      .toBe('camp-1');
  });
});
