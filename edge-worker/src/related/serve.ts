import type { RelatedResponse } from '../../../shared/schemas/related';
import type { EdgeCache } from '../cache/edge-cache';
import { log } from '../log';
import { fallbackLadder } from '../recommend/fallback-ladder';
import type { EdgeRelatedQuery } from './query';
import { type RelatedCache, sharedMaxAge } from './related-cache';
import type { RelatedOrigin } from './related-origin';

/** What serving related items needs from the outside world. */
export interface RelatedDeps {
  readonly cache: RelatedCache;
  readonly origin: Pick<RelatedOrigin, 'related'>;
  /** The KV lists the fallback ladder reads. */
  readonly lists: EdgeCache;
  /** Runs work after the answer (the Worker's `waitUntil`). */
  readonly defer: (what: string, work: Promise<unknown>) => void;
  readonly now?: () => number;
}

/** One related-items request, already validated. */
export interface RelatedRequest {
  readonly itemId: string;
  readonly query: EdgeRelatedQuery;
  /** The Cache API key of the public answer (`relatedCacheKey`). */
  readonly cacheKey: string;
  readonly country: string | undefined;
  readonly requestId: string;
}

/**
 * `hit`: fresh from the cache; `miss`: from the origin, now cached; `bypass`: personalized,
 * from the origin, never cached; `stale`: the origin failed, an older cached copy served;
 * `fallback`: the origin failed and nothing was cached, a popular list served.
 */
export type RelatedCacheStatus = 'hit' | 'miss' | 'bypass' | 'stale' | 'fallback';

/** The edge's answer: the origin's body plus where it came from and which ladder rung served. */
export type EdgeRelatedResponse = RelatedResponse & {
  served_by: 'origin' | 'edge-cache' | 'edge-fallback';
  /** 0 the origin's answer, 2 a stale cached answer, 3-5 the edge's popular lists. */
  fallback_level: number;
};

export type RelatedServed =
  | {
      readonly kind: 'answer';
      readonly body: EdgeRelatedResponse;
      readonly cache: RelatedCacheStatus;
      readonly cacheControl: string;
      readonly originMs?: number;
    }
  | {
      readonly kind: 'client-error';
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
    };

const NO_STORE = 'private, no-store';

/**
 * Related items for one item: a fresh cached copy for anonymous callers, else the origin
 * (cached when the origin marks the answer public), else, when the origin fails, the cached
 * copy however old, else the edge's popular lists. Never throws for a dependency failure.
 */
export async function serveRelated(deps: RelatedDeps, req: RelatedRequest): Promise<RelatedServed> {
  const now = deps.now ?? Date.now;
  const started = now();
  const personalized = req.query.user_id !== undefined;
  const cached = personalized ? undefined : await deps.cache.get(req.cacheKey);
  if (cached) {
    const ageSeconds = (started - cached.storedAt) / 1000;
    if (ageSeconds < cached.freshSeconds) {
      return {
        kind: 'answer',
        body: label(cached.body, req.requestId, 'edge-cache', 0),
        cache: 'hit',
        cacheControl: `public, max-age=${Math.max(0, Math.floor(cached.freshSeconds - ageSeconds))}`,
      };
    }
  }

  try {
    const answer = await deps.origin.related(req.itemId, req.query);
    const originMs = now() - started;
    if (answer.kind === 'client-error') return answer;
    const freshSeconds = personalized ? 0 : sharedMaxAge(answer.cacheControl);
    if (freshSeconds > 0) {
      deps.defer(
        'related cache write',
        deps.cache.put(req.cacheKey, { body: answer.body, storedAt: now(), freshSeconds }),
      );
    }
    return {
      kind: 'answer',
      body: label(answer.body, req.requestId, 'origin', 0),
      cache: personalized ? 'bypass' : 'miss',
      cacheControl: freshSeconds > 0 ? answer.cacheControl : NO_STORE,
      originMs,
    };
  } catch (error) {
    const originMs = now() - started;
    log('warn', 'origin failed for related items, serving a fallback', { request_id: req.requestId, error });
    // A personalized caller gets the shared copy too: an unpersonalized answer beats a generic list.
    const stale = cached ?? (personalized ? await deps.cache.get(req.cacheKey) : undefined);
    if (stale) {
      return {
        kind: 'answer',
        body: label(stale.body, req.requestId, 'edge-cache', 2),
        cache: 'stale',
        cacheControl: NO_STORE,
        originMs,
      };
    }
    const rung = await fallbackLadder(deps.lists, {
      country: req.country,
      limit: req.query.limit,
      exclude: [req.itemId],
    });
    return {
      kind: 'answer',
      body: {
        item_id: req.itemId,
        items: rung.items,
        request_id: req.requestId,
        model_version: rung.modelVersion,
        ...(req.query.surface ? { surface: req.query.surface } : {}),
        personalized: false,
        sources: { content: 0, co_interaction: 0, popular: rung.items.length },
        timings_ms: { origin: originMs, total: now() - started },
        degraded: ['origin'],
        served_by: 'edge-fallback',
        fallback_level: rung.level,
      },
      cache: 'fallback',
      cacheControl: NO_STORE,
      originMs,
    };
  }
}

function label(
  body: RelatedResponse,
  requestId: string,
  servedBy: EdgeRelatedResponse['served_by'],
  level: number,
): EdgeRelatedResponse {
  return { ...body, request_id: requestId, served_by: servedBy, fallback_level: level };
}
