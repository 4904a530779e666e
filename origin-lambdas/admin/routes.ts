import { z } from 'zod';
import { auditRoutes } from './audit/routes';
import { keyRoutes } from './auth/routes';
import { campaignRoutes } from './campaigns/routes';
import { sweepCampaignStatuses } from './campaigns/sweep';
import { experimentRoutes } from './experiments/routes';
import { type AnyRoute, route } from './http/registry';
import { ruleRoutes } from './rules/routes';
import type { AdminServices } from './services';
import { statsRoutes } from './stats/routes';
import { userRoutes } from './users/routes';

/** Every guarded admin route, in the order the document lists them. */
export function adminRoutes(s: AdminServices): AnyRoute[] {
  return [
    ...campaignRoutes(s),
    ...statsRoutes(s),
    ...ruleRoutes(s),
    ...experimentRoutes(s),
    ...userRoutes(s),
    ...keyRoutes(s),
    ...auditRoutes(s),
    route({
      method: 'post',
      path: '/admin/maintenance/sweep',
      tag: 'campaigns',
      summary: 'Persist schedule-driven campaign status changes now',
      role: 'marketer',
      response: { status: 200, name: 'SweepResult', schema: z.object({ changed: z.array(z.string()) }) },
      handler: async (c) => c.json(await sweepCampaignStatuses(s)),
    }),
  ];
}
