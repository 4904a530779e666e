import { z } from 'zod';
import { type AnyRoute, route } from '../http/registry';
import type { AdminServices } from '../services';
import { type ArmData, campaignStats } from './campaign-stats';
import { ARM_IDS } from './posteriors';
import { campaignStatsSchema } from './schemas';

/** `GET /admin/campaigns/{id}/stats`: the campaign's bandit arm in every context bucket. */
export function statsRoutes(s: AdminServices): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/admin/campaigns/{id}/stats',
      tag: 'stats',
      summary: 'Impressions, clicks, conversions, CTR, posterior and P(best) per context bucket',
      role: 'analyst',
      params: z.object({ id: z.string().min(1).max(64) }),
      response: { status: 200, name: 'CampaignStats', schema: campaignStatsSchema },
      handler: async (c, { params }) => {
        const target = await s.campaigns.require(params.id);
        const rivals = (await s.campaigns.all()).filter(
          (x) =>
            x.campaign_id !== target.campaign_id &&
            x.status !== 'draft' &&
            x.status !== 'archived' &&
            x.surfaces.some((surface) => target.surfaces.includes(surface)),
        );
        const arm = async (x: typeof target): Promise<ArmData> => ({
          armId: ARM_IDS.campaign(x.campaign_id),
          prior: { alpha: x.bandit.prior_alpha, beta: x.bandit.prior_beta },
          rows: await s.posteriors.forArm(ARM_IDS.campaign(x.campaign_id)),
        });
        const [mine, ...others] = await Promise.all([target, ...rivals].map(arm));
        return c.json({ campaign_id: target.campaign_id, contexts: campaignStats(mine as ArmData, others) });
      },
    }),
  ];
}
