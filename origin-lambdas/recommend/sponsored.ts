import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { Candidate } from '../../shared/scoring/candidate';
import { type HardFilters, passesHardFilters } from '../../shared/scoring/filters';
import type { BetaPosterior, SponsoredArm } from '../../shared/scoring/slots';
import type { StoredCampaign } from '../admin/campaigns/store';
import type { UserProfileView } from '../admin/users/profile';
import { ineligibility, type TargetingContext } from '../admin/users/targeting';

/** The campaign arm id the bandit-posteriors handler counts under. */
export const campaignArm = (campaignId: string) => `campaign:${campaignId}`;

/**
 * A campaign's Beta posterior over its own prior: the reader adds Beta(1, 1), which the
 * campaign's configured prior replaces.
 */
export function campaignPosterior(c: StoredCampaign, post: BetaPosterior | undefined): BetaPosterior {
  return {
    alpha: (post ? post.alpha - 1 : 0) + c.bandit.prior_alpha,
    beta: (post ? post.beta - 1 : 0) + c.bandit.prior_beta,
  };
}

/** Campaigns that may be shown to this user on this surface now (schedule, targeting, caps). */
export function eligibleCampaigns(
  campaigns: readonly StoredCampaign[],
  user: UserProfileView,
  ctx: Omit<TargetingContext, 'totalImpressions'>,
  posteriors: ReadonlyMap<string, BetaPosterior & { impressions?: number }>,
): StoredCampaign[] {
  const totals = (id: string) => posteriors.get(campaignArm(id))?.impressions ?? 0;
  return campaigns.filter((c) => !ineligibility(c, user, { ...ctx, totalImpressions: totals }));
}

/**
 * One arm per eligible campaign: its first creative item that exists and passes the request's
 * hard filters (a sponsored slot never breaks a block list), with the campaign's posterior over
 * its configured prior.
 */
export function sponsoredArms(
  campaigns: readonly StoredCampaign[],
  items: ReadonlyMap<string, CatalogItem>,
  posteriors: ReadonlyMap<string, BetaPosterior>,
  filters: HardFilters,
  toCandidate: (item: CatalogItem) => Candidate,
): SponsoredArm[] {
  const arms: SponsoredArm[] = [];
  for (const c of campaigns) {
    const item = c.creative.item_ids
      .map((id) => items.get(id))
      .find((i): i is CatalogItem => i !== undefined && passesHardFilters(i, filters));
    if (!item) continue;
    arms.push({
      campaign_id: c.campaign_id,
      item: { ...toCandidate(item), sponsored: true, campaign_id: c.campaign_id },
      ...campaignPosterior(c, posteriors.get(campaignArm(c.campaign_id))),
      priority: c.priority,
    });
  }
  return arms;
}
