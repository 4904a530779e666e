import type { EdgeSnapshot } from '../../../shared/schemas/edge-slots';
import type {
  RecommendationQuery,
  RecommendationResponse,
  RecommendedItem,
} from '../../../shared/schemas/recommendation';
import { EMPTY_SESSION, type SessionSignals } from '../../../shared/scoring/candidate';
import type { EdgeCache } from '../cache/edge-cache';
import { log } from '../log';
import type { OriginClient } from '../origin/origin-client';
import { fallbackLadder } from './fallback-ladder';
import { buildPage, type CachedList, cachedListOf } from './page';

/** What serving needs from the outside world. */
export interface ServeDeps {
  readonly cache: EdgeCache;
  readonly origin: OriginClient;
  readonly freshSeconds: number;
  /** Runs work after the answer (the Worker's `waitUntil`). */
  readonly defer: (what: string, work: Promise<unknown>) => void;
  readonly now?: () => number;
}

/** One recommendation request, already validated. */
export interface ServeRequest {
  readonly query: RecommendationQuery;
  /** The query to send to the origin: the caller's, plus the resolved identity. */
  readonly originQuery: URLSearchParams;
  readonly subject: string;
  readonly country: string | undefined;
  readonly requestId: string;
  /**
   * This session's signals, read in parallel with the cache; awaited only when a candidate
   * list is re-scored. Absent: the empty session.
   */
  readonly session?: Promise<SessionSignals>;
  /** The bandit and rules snapshot, awaited only when a candidate list is re-scored. */
  readonly snapshot?: Promise<EdgeSnapshot | undefined>;
  /** The filter/context variant of the cache key (`variant.ts`); '' for the plain request. */
  readonly variant?: string;
}

/** `hit`/`stale`: from the cache; `miss`: from the origin; `fallback`: a list from the ladder. */
export type CacheStatus = 'hit' | 'stale' | 'miss' | 'fallback';

export interface Served {
  readonly body: RecommendationResponse;
  readonly cache: CacheStatus;
  /** Milliseconds spent per dependency, for Server-Timing. */
  readonly timings: { kv: number; score?: number; origin?: number; total: number };
}

/** This request's page (see `buildPage`); `score` is the time it took, when it re-scored. */
async function pageFor(
  deps: ServeDeps,
  req: ServeRequest,
  list: CachedList,
): Promise<{ items: RecommendedItem[]; rescored: boolean; score?: number }> {
  const { limit, exclude, surface } = req.query;
  // The session and snapshot only matter, and are only awaited, when there is a list to re-score.
  const rescoring = Boolean(list.candidates?.length);
  const [session, snapshot] = rescoring
    ? await Promise.all([req.session ?? EMPTY_SESSION, req.snapshot])
    : [EMPTY_SESSION, undefined];
  const now = deps.now ?? Date.now;
  const t0 = now();
  const page = buildPage(list, session, { limit, exclude, surface, snapshot });
  return page.rescored
    ? { items: page.items, rescored: true, score: now() - t0 }
    : { items: page.items, rescored: false };
}

/**
 * Answers from the edge cache when it can, from the origin when it must, and from the
 * fallback ladder when the origin fails. Never throws for a dependency failure and never
 * returns an empty list.
 */
export async function serveRecommendations(deps: ServeDeps, req: ServeRequest): Promise<Served> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { surface, limit, exclude } = req.query;

  const variant = req.variant ?? '';
  const cached = await deps.cache.getRecs(req.subject, surface, variant);
  const kvMs = now() - started;
  if (cached) {
    const page = await pageFor(deps, req, cachedListOf(cached));
    const items = page.items;
    if (items.length > 0) {
      const fresh = started - cached.stored_at < deps.freshSeconds * 1000;
      if (!fresh) {
        // Stale-while-revalidate: this answer goes out now, the refresh lands in KV for the next one.
        deps.defer('revalidate', refresh(deps, req));
      }
      const total = now() - started;
      return {
        body: {
          ...cached.response,
          items,
          request_id: req.requestId,
          // A re-scored page is a new decision (its own Thompson draws): events credit this one.
          decision_id: page.rescored ? crypto.randomUUID() : cached.response.decision_id,
          served_by: 'edge-cache',
          timings_ms: { kv: kvMs, ...scoreTiming(page.score), total },
        },
        cache: fresh ? 'hit' : 'stale',
        timings: { kv: kvMs, ...scoreTiming(page.score), total },
      };
    }
  }

  const originStarted = now();
  try {
    const response = await deps.origin.recommend(req.originQuery);
    const originMs = now() - originStarted;
    // A degraded answer is served but not cached: the next request should try the full funnel again.
    if (response.fallback_level === 0)
      deps.defer('cache write', deps.cache.putRecs(req.subject, surface, response, now(), variant));
    const { candidates, slots, ...answer } = response;
    const page = await pageFor(deps, req, { items: response.items, candidates, slots });
    const items = page.items;
    const total = now() - started;
    return {
      body: {
        ...answer,
        items: items.length > 0 ? items : response.items,
        request_id: req.requestId,
        decision_id: page.rescored ? crypto.randomUUID() : answer.decision_id,
        served_by: 'origin',
        timings_ms: { ...response.timings_ms, edge_kv: kvMs, edge_origin: originMs, edge_total: total },
      },
      cache: 'miss',
      timings: { kv: kvMs, ...scoreTiming(page.score), origin: originMs, total },
    };
  } catch (error) {
    const originMs = now() - originStarted;
    log('warn', 'origin failed, serving fallback', { request_id: req.requestId, error });
    const kvStarted = now();
    const rung = await fallbackLadder(deps.cache, { country: req.country, limit, exclude });
    const ladderKvMs = now() - kvStarted;
    const total = now() - started;
    return {
      body: {
        items: rung.items,
        request_id: req.requestId,
        decision_id: crypto.randomUUID(),
        surface,
        model_version: rung.modelVersion,
        fallback_level: rung.level,
        served_by: 'edge-fallback',
        candidates_retrieved: rung.candidates,
        candidates_scored: 0,
        timings_ms: { kv: kvMs + ladderKvMs, origin: originMs, total },
      },
      cache: 'fallback',
      timings: { kv: kvMs + ladderKvMs, origin: originMs, total },
    };
  }
}

const scoreTiming = (score: number | undefined): { score?: number } => (score === undefined ? {} : { score });

async function refresh(deps: ServeDeps, req: ServeRequest): Promise<void> {
  const response = await deps.origin.recommend(req.originQuery);
  if (response.fallback_level === 0)
    await deps.cache.putRecs(req.subject, req.query.surface, response, (deps.now ?? Date.now)(), req.variant);
}
