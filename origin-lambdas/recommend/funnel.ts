import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { ItemLookup } from '../../shared/ports/item-lookup';
import type { VectorSearchOptions } from '../../shared/ports/vector-index';
import type { Rng } from '../../shared/random';
import { FEATURE_CATALOG } from '../../shared/schemas/features';
import type { RankingRequest } from '../../shared/schemas/ranking';
import type { Candidate } from '../../shared/scoring/candidate';
import { type HardFilters, passesHardFilters } from '../../shared/scoring/filters';
import { type RerankedItem, rerank } from '../../shared/scoring/rerank';
import { rescore } from '../../shared/scoring/rescore';
import type { BetaPosterior, SponsoredArm } from '../../shared/scoring/slots';
import type { SurfaceRules } from '../../shared/scoring/surface-rules';
import { withTimeout } from '../../shared/timeout';
import { meanVector } from '../../shared/vector-math';
import type { UserContext } from './context/user-context';
import { featureMatrix, freshnessScore, PRIOR_CTR, popularityScore } from './features';
import type { RankOutcome } from './ranking/resilient-ranker';
import type { RetrievalPlan } from './retrieval/plan';
import { type RetrievalDeps, retrieve } from './retrieval/retrieve';
import type { Retrieved } from './retrieval/retrieved';
import type { ServingData } from './serving-data';
import { campaignArm, eligibleCampaigns, sponsoredArms } from './sponsored';

/** Ranks all candidates in one call and never throws (ResilientRanker). */
export interface Ranker {
  rank(request: RankingRequest, options?: { modelVersion?: string }): Promise<RankOutcome>;
}

export interface FunnelDeps {
  readonly retrieval: RetrievalDeps;
  readonly items: ItemLookup;
  readonly ranker: Ranker;
  readonly serving: ServingData;
}

export interface FunnelInput {
  readonly ctx: UserContext;
  readonly plan: RetrievalPlan;
  readonly surface: string;
  readonly limit: number;
  readonly filters: HardFilters;
  readonly indexFilter: VectorSearchOptions;
  readonly rules: SurfaceRules;
  /** Model version to rank with (the subject's experiment variant's); unset = the endpoint's default. */
  readonly modelVersion?: string;
  readonly sessionItems: readonly string[];
  readonly device?: string;
  readonly country?: string;
  readonly now: number;
  readonly rng: Rng;
  readonly time: (stage: string, since: number) => void;
}

export interface FunnelResult {
  readonly page: RerankedItem[];
  /** Every scored candidate, best first (the edge re-scores these). */
  readonly ranked: Candidate[];
  readonly retrieved: number;
  readonly scored: number;
  readonly rank: RankOutcome;
  readonly failedSources: string[];
  /** What filled the sponsored and exploration slots, handed to the edge to decide them itself. */
  readonly slots: FunnelSlots;
}

/** The inputs of the slot decisions: eligible sponsored arms and the exploration pool. */
export interface FunnelSlots {
  readonly sponsored: readonly SponsoredArm[];
  readonly pool: readonly Candidate[];
  readonly posteriors: ReadonlyMap<string, BetaPosterior>;
}

/**
 * Windowed CTR of the candidates from the trending counters (cached rows, so mostly no read).
 * Features must not wait on it: past the retrieval budget, or on a failure, every item keeps the
 * prior CTR, which is what the model saw for items without impressions.
 */
async function candidateStats(
  deps: RetrievalDeps,
  items: readonly CatalogItem[],
): Promise<ReadonlyMap<string, { ctr: number }>> {
  if (!deps.trending.itemStats) return new Map();
  try {
    return await withTimeout(
      deps.trending.itemStats(items, { minutes: 60 }),
      deps.timeoutMs,
      'candidate stats',
    );
  } catch {
    return new Map();
  }
}

function toCandidate(
  item: CatalogItem,
  r: Retrieved | undefined,
  score: number,
  now: number,
  titles: ReadonlyMap<string, string>,
  maxPop: number,
): Candidate {
  const anchor = r?.anchor_id ? titles.get(r.anchor_id) : undefined;
  return {
    item_id: item.item_id,
    category: item.category,
    score,
    source: r?.source ?? 'popular',
    popularity: popularityScore(item.popularity, maxPop),
    freshness: freshnessScore(item.created_at, now),
    vector: item.embedding,
    title: item.title,
    ...(anchor ? { anchor_title: anchor } : {}),
  };
}

/**
 * The full funnel for one request: retrieval from every planned source in parallel, one
 * hydration of candidates and anchors, hard filters, features, one ranking call, then the shared
 * re-ranking core (session, freshness, diversity, exploration and sponsored slots, pins).
 * Throws only when it cannot produce candidates at all; the caller then walks the ladder.
 */
export async function runFunnel(deps: FunnelDeps, input: FunnelInput): Promise<FunnelResult> {
  const { ctx, plan } = input;
  let t0 = performance.now();
  const anchors = plan.anchorIds.length ? await deps.items.getItems(plan.anchorIds) : [];
  const [retrieval, campaigns] = await Promise.all([
    retrieve(deps.retrieval, {
      plan,
      ...(ctx.embedding ? { embedding: ctx.embedding } : {}),
      anchors,
      filter: input.indexFilter,
    }),
    deps.serving.campaigns().catch(() => []),
  ]);
  input.time('retrieval', t0);

  t0 = performance.now();
  const campaignPosteriors = await deps.serving.posteriors(campaigns.map((c) => campaignArm(c.campaign_id)));
  const eligible = eligibleCampaigns(
    campaigns,
    ctx.targeting,
    {
      now: input.now,
      surface: input.surface,
      ...(input.country ? { country: input.country } : {}),
      ...(input.device ? { device: input.device } : {}),
    },
    campaignPosteriors,
  );
  const extraIds = [
    ...eligible.flatMap((c) => c.creative.item_ids.slice(0, 3)),
    ...input.rules.pinned.map((p) => p.item_id),
  ];
  const hydrated = await deps.items.getItems([...retrieval.candidates.map((r) => r.item_id), ...extraIds]);
  const byId = new Map(hydrated.map((i) => [i.item_id, i]));
  const retrievedById = new Map(retrieval.candidates.map((r) => [r.item_id, r]));
  const items = retrieval.candidates
    .map((r) => byId.get(r.item_id))
    .filter((i): i is CatalogItem => i !== undefined && passesHardFilters(i, input.filters));
  input.time('hydrate', t0);
  if (items.length === 0) throw new Error('no candidates survived retrieval and filters');

  t0 = performance.now();
  const sessionVectors = input.sessionItems
    .map((id) => byId.get(id)?.embedding)
    .filter((v): v is number[] => Boolean(v));
  const stats = await candidateStats(deps.retrieval, items);
  const trends = new Map(
    items.map((i) => {
      const r = retrievedById.get(i.item_id);
      const s = stats.get(i.item_id);
      return [i.item_id, { score: r?.source === 'trending' ? r.score : 0, ctr: s?.ctr ?? PRIOR_CTR }];
    }),
  );
  const recent = anchors.filter(
    (a) => ctx.recentItems.includes(a.item_id) || input.sessionItems.includes(a.item_id),
  );
  const rows = featureMatrix(
    items,
    {
      recentItems: recent.length ? recent : anchors,
      ...(sessionVectors.length
        ? { sessionVector: meanVector(sessionVectors) }
        : ctx.session?.vector.length
          ? { sessionVector: ctx.session.vector }
          : {}),
      ...(ctx.mood ? { mood: ctx.mood } : {}),
      trends,
      retrieval: retrievedById,
    },
    input.now,
  );
  input.time('features', t0);

  t0 = performance.now();
  const rank = await deps.ranker.rank(
    { feature_names: [...FEATURE_CATALOG], rows: items.length, features: rows },
    { modelVersion: input.modelVersion },
  );
  input.time('rank', t0);

  t0 = performance.now();
  const titles = new Map(anchors.map((a) => [a.item_id, a.title]));
  const maxPop = Math.max(1, ...items.map((i) => i.popularity));
  const candidates = items.map((item, i) =>
    toCandidate(item, retrievedById.get(item.item_id), rank.scores[i] ?? 0, input.now, titles, maxPop),
  );
  const seen = new Set([...input.sessionItems, ...(ctx.session?.recent_items ?? [])]);
  const sessionCats = ctx.session?.category_counts ?? {};
  const rescored = rescore(candidates, {
    seen,
    hidden: new Set(),
    vector: sessionVectors.length ? meanVector(sessionVectors) : (ctx.session?.vector ?? []),
    categories: sessionCats,
  });
  // Exploration draws from candidates the ranker did not put near the top: truly new to this page.
  const pinned = input.rules.pinned
    .map((p) => byId.get(p.item_id))
    .filter((i): i is CatalogItem => i !== undefined && passesHardFilters(i, input.filters))
    .map((i) =>
      toCandidate(i, { item_id: i.item_id, source: 'editorial', score: 1 }, 1, input.now, titles, maxPop),
    );
  const pool = [...rescored.slice(input.limit * 2, input.limit * 2 + 60).map((r) => r.candidate), ...pinned];
  const itemPosteriors = pool.length
    ? await deps.serving.posteriors(pool.map((c) => `item:${c.item_id}`))
    : new Map();
  const posteriors = new Map(
    pool.map((c) => [c.item_id, itemPosteriors.get(`item:${c.item_id}`) ?? { alpha: 1, beta: 1 }]),
  );
  const sponsored = sponsoredArms(eligible, byId, campaignPosteriors, input.filters, (item) =>
    toCandidate(item, undefined, 0, input.now, titles, maxPop),
  );
  const page = rerank(rescored, {
    limit: input.limit,
    rules: input.rules,
    rng: input.rng,
    exploration: { pool, posteriors },
    sponsored,
    seen,
  });
  input.time('rerank', t0);
  return {
    page,
    ranked: rescored.map((r) => r.candidate),
    retrieved: retrieval.candidates.length,
    scored: items.length,
    rank,
    failedSources: retrieval.failed,
    slots: { sponsored, pool, posteriors },
  };
}
