import type { StoredCampaign } from '../campaigns/store';
import type { AdminServices } from '../services';
import { summarize } from '../stats/beta';
import { ALL_CONTEXTS, ARM_IDS, posteriorOf } from '../stats/posteriors';
import { profileFromRows, userRows } from './profile';
import { ineligibility } from './targeting';

export interface TopCampaignsQuery {
  readonly limit: number;
  readonly surface?: string;
  readonly country?: string;
  readonly device?: string;
}

/**
 * Eligible campaigns for a user, best first. With a usable taste embedding, ranked by cosine
 * similarity from the ANN index over campaign embeddings (ties by priority); without one (new
 * user, other space), ranked by priority. Each carries its bandit posterior.
 */
export async function topCampaigns(s: AdminServices, userId: string, q: TopCampaignsQuery) {
  const now = s.now();
  const [rows, built] = await Promise.all([
    userRows(s.deps.doc, s.deps.prefix, userId),
    s.campaignIndex.current(),
  ]);
  const user = profileFromRows(rows);
  const candidates = [...built.campaigns.values()];
  const posteriorRows = await s.posteriors.many(
    candidates.map((c) => ARM_IDS.campaign(c.campaign_id)),
    ALL_CONTEXTS,
  );
  const totals = (id: string) => posteriorRows.get(ARM_IDS.campaign(id))?.impressions ?? 0;
  const eligible = candidates.filter((c) => !ineligibility(c, user, { now, ...q, totalImpressions: totals }));

  const useSimilarity =
    !user.optedOut && user.embedding !== undefined && user.embedding.length === built.index.dimensions;
  const similarity = new Map<string, number>();
  if (useSimilarity && eligible.length) {
    const ids = new Set(eligible.map((c) => c.campaign_id));
    const all = await built.index.size();
    const excludeIds = new Set([...built.campaigns.keys()].filter((id) => !ids.has(id)));
    for (const hit of await built.index.search(user.embedding as number[], all, { excludeIds }))
      similarity.set(hit.id, hit.score);
  }
  const score = (c: StoredCampaign) => similarity.get(c.campaign_id) ?? Number.NEGATIVE_INFINITY;
  const ranked = eligible.sort(
    (a, b) =>
      (useSimilarity ? score(b) - score(a) : 0) ||
      b.priority - a.priority ||
      (a.campaign_id < b.campaign_id ? -1 : 1),
  );
  return {
    user_id: userId,
    ranking: useSimilarity ? ('similarity' as const) : ('priority' as const),
    opted_out: user.optedOut,
    items: ranked.slice(0, q.limit).map((c) => {
      const post = posteriorOf(posteriorRows.get(ARM_IDS.campaign(c.campaign_id)), {
        alpha: c.bandit.prior_alpha,
        beta: c.bandit.prior_beta,
      });
      const sim = similarity.get(c.campaign_id);
      return {
        campaign_id: c.campaign_id,
        name: c.name,
        priority: c.priority,
        similarity: sim === undefined ? null : Math.round(sim * 1e6) / 1e6,
        posterior: { ...post, ...summarize(post) },
      };
    }),
  };
}
