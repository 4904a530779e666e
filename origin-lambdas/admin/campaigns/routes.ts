import { z } from 'zod';
import { requireIfMatch, versioned } from '../http/concurrency';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '../http/pagination';
import { type AnyRoute, route } from '../http/registry';
import type { AdminServices } from '../services';
import { CAMPAIGN_STATUSES, campaignInputSchema, campaignPatchSchema, campaignSchema } from './schemas';
import { campaignView, createCampaign, transitionCampaign, updateCampaign } from './service';

const idParams = z.object({ id: z.string().min(1).max(64) });
const campaign = { status: 200, name: 'Campaign', schema: campaignSchema } as const;

/** Campaign CRUD, lifecycle transitions and listing. */
export function campaignRoutes(s: AdminServices): AnyRoute[] {
  const transition = (action: 'pause' | 'resume' | 'archive') =>
    route({
      method: 'post',
      path: `/admin/campaigns/{id}/${action}`,
      tag: 'campaigns',
      summary: `${action[0]?.toUpperCase()}${action.slice(1)} a campaign`,
      role: 'marketer',
      params: idParams,
      ifMatch: true,
      response: campaign,
      handler: async (c, { params }) =>
        versioned(c, await transitionCampaign(s, c, params.id, requireIfMatch(c), action)),
    });
  return [
    route({
      method: 'post',
      path: '/admin/campaigns',
      tag: 'campaigns',
      summary: 'Create a campaign',
      role: 'marketer',
      body: campaignInputSchema,
      response: { ...campaign, status: 201 },
      handler: async (c, { body }) => versioned(c, await createCampaign(s, c, body), 201),
    }),
    route({
      method: 'get',
      path: '/admin/campaigns',
      tag: 'campaigns',
      summary: 'List campaigns, optionally by stored status',
      role: 'viewer',
      query: z.object({ status: z.enum(CAMPAIGN_STATUSES).optional(), ...pageQuery }),
      response: { status: 200, name: 'CampaignPage', schema: pageOf(campaignSchema) },
      handler: async (c, { query }) => {
        const page = await s.campaigns.list(query.limit, decodeCursor(query.cursor), query.status);
        const now = s.now();
        return c.json({
          items: page.items.map((x) => campaignView(x, now)),
          next_cursor: encodeCursor(page.last),
        });
      },
    }),
    route({
      method: 'get',
      path: '/admin/campaigns/{id}',
      tag: 'campaigns',
      summary: 'Read a campaign',
      role: 'viewer',
      params: idParams,
      response: campaign,
      handler: async (c, { params }) =>
        versioned(c, campaignView(await s.campaigns.require(params.id), s.now())),
    }),
    route({
      method: 'patch',
      path: '/admin/campaigns/{id}',
      tag: 'campaigns',
      summary: 'Update a campaign (fields named replace the stored ones)',
      role: 'marketer',
      params: idParams,
      body: campaignPatchSchema,
      ifMatch: true,
      response: campaign,
      handler: async (c, { params, body }) =>
        versioned(c, await updateCampaign(s, c, params.id, requireIfMatch(c), body)),
    }),
    transition('pause'),
    transition('resume'),
    transition('archive'),
  ];
}
