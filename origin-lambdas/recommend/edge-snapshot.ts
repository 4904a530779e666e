import type { EdgeSnapshot } from '../../shared/schemas/edge-slots';
import { SURFACES } from '../../shared/schemas/recommendation';
import { surfaceRulesFrom } from '../../shared/scoring/surface-rules';
import { servingNow } from '../admin/campaigns/schedule';
import type { ServingData } from './serving-data';
import { campaignArm, campaignPosterior } from './sponsored';

/**
 * The snapshot the edge pulls every few seconds (`GET /v1/edge/snapshot`): each campaign's
 * status as of now (schedule, pause, total cap) and Beta posterior over its own prior, and every
 * surface's effective rules. Per-user targeting is not in it: the origin already applied that
 * to the arms it put in the user's record, so the edge only needs to know what changed since.
 */
export async function buildEdgeSnapshot(serving: ServingData, now: number): Promise<EdgeSnapshot> {
  const [campaigns, stored] = await Promise.all([
    serving.campaigns(),
    Promise.all(SURFACES.map(async (s) => [s, await serving.rules(s)] as const)),
  ]);
  const posteriors = await serving.posteriors(campaigns.map((c) => campaignArm(c.campaign_id)));
  const out: EdgeSnapshot = { v: 1, generated_at: now, rules: {}, campaigns: {} };
  for (const [surface, rules] of stored) {
    out.rules[surface] = surfaceRulesFrom(rules, surface);
  }
  for (const c of campaigns) {
    const post = posteriors.get(campaignArm(c.campaign_id));
    const impressions = post?.impressions ?? 0;
    const capped = c.caps.total_impressions !== undefined && impressions >= c.caps.total_impressions;
    out.campaigns[c.campaign_id] = {
      live: servingNow(c.status, c.schedule, now) && !capped,
      ...campaignPosterior(c, post),
    };
  }
  return out;
}
