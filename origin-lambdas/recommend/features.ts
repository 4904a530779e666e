import type { CatalogItem } from '../../shared/ports/item-catalog';
import { DEFAULT_FEATURES } from '../../shared/schemas/ranking';
import { cosine, meanVector } from '../../shared/vector-math';

/** What the feature builder knows about the user: the items they engaged with recently. */
export interface UserSignals {
  readonly recentItems: readonly CatalogItem[];
}

const DAY_MS = 86_400_000;

/**
 * Builds the row-major feature matrix in DEFAULT_FEATURES order:
 * popularity (log-scaled to [0,1] over the candidates), freshness (1 today, halving every 30 days),
 * affinity (share of the user's recent items in the candidate's category), similarity (cosine of
 * the candidate's embedding with the mean of the recent items').
 */
export function buildFeatures(candidates: readonly CatalogItem[], user: UserSignals, now: number): number[] {
  const maxPop = Math.max(1, ...candidates.map((c) => c.popularity));
  const categoryShare = new Map<string, number>();
  for (const r of user.recentItems) categoryShare.set(r.category, (categoryShare.get(r.category) ?? 0) + 1);
  const taste = meanVector(user.recentItems.map((r) => r.embedding));
  const rows: number[] = [];
  for (const c of candidates) {
    const ageDays = Math.max(0, (now - Date.parse(c.created_at)) / DAY_MS);
    rows.push(
      Math.log1p(c.popularity) / Math.log1p(maxPop),
      0.5 ** (ageDays / 30),
      user.recentItems.length ? (categoryShare.get(c.category) ?? 0) / user.recentItems.length : 0,
      taste.length ? Math.max(0, cosine(taste, c.embedding)) : 0,
    );
  }
  return rows;
}

export const FEATURE_NAMES: readonly string[] = DEFAULT_FEATURES;
