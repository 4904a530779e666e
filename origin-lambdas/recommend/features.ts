import type { CatalogItem } from '../../shared/ports/item-catalog';
import { FEATURE_CATALOG, type FeatureName } from '../../shared/schemas/features';
import { DEFAULT_FEATURES } from '../../shared/schemas/ranking';
import type { CandidateSource } from '../../shared/scoring/candidate';
import { cosine, meanVector } from '../../shared/vector-math';

/** What the feature builder knows about the user and the request. */
export interface UserSignals {
  /** Items the user engaged with recently, most recent first (the training pipeline's signal too). */
  readonly recentItems: readonly CatalogItem[];
  /** Direction of the current session's engagement. */
  readonly sessionVector?: readonly number[];
  /** The user's mood (see MOOD_DIMENSIONS): valence, engagement, skip rate, hide rate. */
  readonly mood?: readonly number[];
  /** Trend score (normalized to [0, 1]) and smoothed CTR per item id. */
  readonly trends?: ReadonlyMap<string, { readonly score: number; readonly ctr: number }>;
  /** Which source retrieved each item and with what score. */
  readonly retrieval?: ReadonlyMap<string, { readonly source: CandidateSource; readonly score: number }>;
}

const DAY_MS = 86_400_000;
// Prior CTR of an item nobody has been shown yet: (0 + 1) / (0 + 20), as the trending reader smooths.
export const PRIOR_CTR = 1 / 20;
const clamp01 = (x: number) => (x < 0 ? 0 : Math.min(x, 1));
/** Popularity log-scaled to [0, 1] against the most popular candidate. */
export const popularityScore = (popularity: number, maxPopularity: number) =>
  Math.log1p(popularity) / Math.log1p(maxPopularity);

/** 1 for an item created now, halving every 30 days. */
export const freshnessScore = (createdAt: string, now: number) =>
  0.5 ** (Math.max(0, (now - Date.parse(createdAt)) / DAY_MS) / 30);

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] as number) : 0;
};

/**
 * The row-major feature matrix over `candidates`, columns in `names` order (the full catalog by
 * default; a model's declared subset is picked by name at the endpoint). The first four are the
 * features the training pipeline computes with the same code, so serving and training agree:
 * popularity (log-scaled over the candidates), freshness (halving every 30 days), affinity (share
 * of recent items in the category), similarity (cosine with the mean recent vector).
 */
export function featureMatrix(
  candidates: readonly CatalogItem[],
  user: UserSignals,
  now: number,
  names: readonly FeatureName[] = FEATURE_CATALOG,
): number[] {
  const maxPop = Math.max(1, ...candidates.map((c) => c.popularity));
  const share = new Map<string, number>();
  for (const r of user.recentItems) share.set(r.category, (share.get(r.category) ?? 0) + 1);
  const taste = meanVector(user.recentItems.map((r) => r.embedding));
  const prices = user.recentItems.map((r) => r.price).filter((p) => p > 0);
  const priceAnchor = median(prices);
  const [, , skipRate = 0, hideRate = 0] = user.mood ?? [];
  const rows: number[] = [];
  for (const c of candidates) {
    const similarity = taste.length ? Math.max(0, cosine(taste, c.embedding)) : 0;
    const trend = user.trends?.get(c.item_id);
    const got = user.retrieval?.get(c.item_id);
    const f: Record<FeatureName, number> = {
      popularity: popularityScore(c.popularity, maxPop),
      freshness: freshnessScore(c.created_at, now),
      affinity: user.recentItems.length ? (share.get(c.category) ?? 0) / user.recentItems.length : 0,
      similarity,
      ctr: trend?.ctr ?? PRIOR_CTR,
      trending: clamp01(trend?.score ?? 0),
      // Within a factor of 4 of what the user usually buys fits; unknown taste is neutral.
      price_fit:
        priceAnchor > 0 && c.price > 0
          ? clamp01(1 - Math.abs(Math.log(c.price / priceAnchor)) / Math.log(4))
          : 0.5,
      session_similarity: user.sessionVector?.length
        ? Math.max(0, cosine(user.sessionVector, c.embedding))
        : 0,
      // A user skipping a lot wants something different; one engaging wants more of the same.
      mood_match: clamp01((1 - hideRate) * (skipRate * (1 - similarity) + (1 - skipRate) * similarity)),
      retrieval_score: clamp01(got?.score ?? 0),
      src_collaborative: got?.source === 'collaborative' ? 1 : 0,
      src_content: got?.source === 'content' ? 1 : 0,
      src_trending: got?.source === 'trending' ? 1 : 0,
      src_editorial: got?.source === 'editorial' ? 1 : 0,
      src_popular: got?.source === 'popular' || got === undefined ? 1 : 0,
    };
    for (const n of names) rows.push(Number.isFinite(f[n]) ? f[n] : 0);
  }
  return rows;
}

/** The default ranker's four features; the training pipeline builds its examples with this. */
export function buildFeatures(
  candidates: readonly CatalogItem[],
  user: Pick<UserSignals, 'recentItems'>,
  now: number,
): number[] {
  return featureMatrix(candidates, user, now, DEFAULT_FEATURES);
}

export const FEATURE_NAMES: readonly FeatureName[] = DEFAULT_FEATURES;
