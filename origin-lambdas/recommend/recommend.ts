import { fallbackItems } from '../../shared/fallback-items';
import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import type { ModelEndpoint } from '../../shared/ports/model-endpoint';
import type { UserState, UserStateStore } from '../../shared/ports/user-state-store';
import type {
  RecommendationQuery,
  RecommendationResponse,
  RecommendedItem,
} from '../../shared/schemas/recommendation';
import { withTimeout } from '../../shared/timeout';
import { logger } from '../common/observability';
import { edgeCandidates } from './edge-candidates';
import { buildFeatures, FEATURE_NAMES } from './features';
import { OPTED_OUT_MODEL, type OptOutLookup, popularOnly } from './opt-out';
import type { PopularSource } from './popular-source';
import { reasonFor } from './reasons';

export interface RecommendDeps {
  readonly catalog: ItemCatalog;
  readonly users: UserStateStore;
  readonly model: ModelEndpoint;
  readonly popular: PopularSource;
  readonly dynamoTimeoutMs: number;
  readonly modelTimeoutMs: number;
  readonly now?: () => number;
  /** Opt-out flags; without it nobody is treated as opted out. */
  readonly optOut?: OptOutLookup;
}

export interface RecommendInput extends Omit<RecommendationQuery, 'candidates' | 'session_id'> {
  readonly requestId: string;
  /** Also return the top scored candidates for the edge to re-score. @default false */
  readonly candidates?: boolean;
}

/**
 * The spine's funnel: popular candidates, the user's recent items as signals, one ranking call
 * for all candidates, explanations. Each dependency failure moves one rung down the ladder
 * (model down: popularity order, level 1; catalog down: compiled list, level 5) instead of failing.
 */
export async function recommend(deps: RecommendDeps, input: RecommendInput): Promise<RecommendationResponse> {
  const now = deps.now?.() ?? Date.now();
  const timings: Record<string, number> = {};
  const t = (name: string, since: number) => {
    timings[name] = Math.round((performance.now() - since) * 100) / 100;
  };
  const subject = input.user_id ?? `anon:${input.anonymous_id}`;
  const base = { request_id: input.requestId, decision_id: crypto.randomUUID(), surface: input.surface };

  let t0 = performance.now();
  const [userResult, popularResult, optOutResult] = await Promise.allSettled([
    withTimeout(deps.users.getUser(subject), deps.dynamoTimeoutMs, 'user state'),
    withTimeout(deps.popular.items(now), deps.dynamoTimeoutMs * 2, 'popular list'),
    deps.optOut && input.user_id
      ? withTimeout(deps.optOut.isOptedOut(subject), deps.dynamoTimeoutMs, 'opt-out')
      : Promise.resolve(false),
  ]);
  t('context', t0);
  const user: UserState | undefined = userResult.status === 'fulfilled' ? userResult.value : undefined;
  if (userResult.status === 'rejected')
    logger.warn('user state unavailable', { reason: String(userResult.reason) });
  if (popularResult.status === 'rejected' || popularResult.value.items.length === 0) {
    logger.warn('catalog unavailable; serving compiled list', {
      reason: popularResult.status === 'rejected' ? String(popularResult.reason) : 'empty popular list',
    });
    return compiledFallback(base, input.limit, timings);
  }
  // Opted-out users get the popular list; if the flag cannot be read, assume they opted out.
  if (optOutResult.status === 'rejected' || optOutResult.value) {
    const items = popularOnly(popularResult.value.items, input.exclude ?? [], input.limit);
    return {
      ...base,
      items,
      model_version: OPTED_OUT_MODEL,
      fallback_level: popularResult.value.stale ? 1 : 0,
      served_by: 'origin',
      candidates_retrieved: popularResult.value.items.length,
      candidates_scored: 0,
      timings_ms: timings,
    };
  }

  t0 = performance.now();
  const excluded = new Set([...(input.exclude ?? []), ...(user?.recent_items ?? [])]);
  let candidates = popularResult.value.items.filter((i) => !excluded.has(i.item_id));
  if (candidates.length === 0) candidates = popularResult.value.items;
  const recent = await recentItems(deps, user);
  const rows = buildFeatures(candidates, { recentItems: recent }, now);
  t('features', t0);

  t0 = performance.now();
  let scores: number[];
  let modelVersion: string;
  let level = popularResult.value.stale ? 1 : 0;
  try {
    const ranked = await deps.model.rank(
      { feature_names: [...FEATURE_NAMES], rows: candidates.length, features: rows },
      { timeoutMs: deps.modelTimeoutMs },
    );
    scores = ranked.scores.map((s) => (Number.isFinite(s) ? s : 0));
    modelVersion = ranked.model_version;
  } catch (err) {
    logger.warn('ranking endpoint failed; ordering by popularity', { reason: (err as Error).message });
    scores = candidates.map((_, i) => rows[i * FEATURE_NAMES.length] ?? 0);
    modelVersion = 'popularity-fallback';
    level = 1;
  }
  t('rank', t0);

  const width = FEATURE_NAMES.length;
  const order = candidates.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const items: RecommendedItem[] = order.slice(0, input.limit).map((idx, position) => {
    const item = candidates[idx] as CatalogItem;
    return {
      item_id: item.item_id,
      title: item.title,
      category: item.category,
      score: Math.round((scores[idx] ?? 0) * 1e6) / 1e6,
      position,
      sponsored: false,
      reasons: [reasonFor(item, rows.slice(idx * width, idx * width + width), recent[0])],
    };
  });
  return {
    ...base,
    items,
    model_version: modelVersion,
    fallback_level: level,
    served_by: 'origin',
    candidates_retrieved: popularResult.value.items.length,
    candidates_scored: candidates.length,
    timings_ms: timings,
    ...(input.candidates
      ? { candidates: edgeCandidates(candidates, order, scores, rows, { anchor: recent[0] }) }
      : {}),
  };
}

async function recentItems(deps: RecommendDeps, user: UserState | undefined): Promise<CatalogItem[]> {
  const ids = user?.recent_items.slice(0, 10) ?? [];
  if (!ids.length) return [];
  try {
    return await withTimeout(deps.catalog.getItems(ids), deps.dynamoTimeoutMs, 'recent items');
  } catch {
    return [];
  }
}

function compiledFallback(
  base: { request_id: string; decision_id: string; surface: string },
  limit: number,
  timings: Record<string, number>,
): RecommendationResponse {
  const items = fallbackItems(limit);
  return {
    ...base,
    items,
    model_version: 'compiled-fallback',
    fallback_level: 5,
    served_by: 'origin',
    candidates_retrieved: 0,
    candidates_scored: 0,
    timings_ms: timings,
  };
}
