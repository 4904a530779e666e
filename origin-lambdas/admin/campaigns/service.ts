import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { encodeVector } from '../../adapters/vector-codec';
import { ClientError } from '../../common/errors';
import type { AdminEnv } from '../http/env';
import type { AdminServices } from '../services';
import { campaignEmbedding } from './embedding';
import { effectiveStatus, servingNow } from './schedule';
import type { Campaign, CampaignInput, CampaignPatch, CampaignStatus } from './schemas';
import type { StoredCampaign } from './store';

/** The API view of a stored campaign at `now`: schedule-derived status, no raw embedding. */
export function campaignView(s: StoredCampaign, now: number): Campaign {
  const { embedding: _e, ...rest } = s;
  return {
    ...rest,
    status: effectiveStatus(s.status, s.schedule, now),
    serving_now: servingNow(s.status, s.schedule, now),
  };
}

async function embed(s: AdminServices, c: Pick<CampaignInput, 'name' | 'creative'>) {
  const v = await campaignEmbedding(s.deps.encoder, s.deps.catalog, c);
  return {
    embedding: encodeVector(v),
    embedding_dimensions: v.length,
    embedding_space: s.deps.encoder.spaceVersion,
  };
}

const entity = (id: string) => `campaign:${id}`;

export async function createCampaign(s: AdminServices, c: Context<AdminEnv>, input: CampaignInput) {
  const at = new Date(s.now()).toISOString();
  const stored: StoredCampaign = {
    ...input,
    campaign_id: randomUUID(),
    version: 1,
    created_at: at,
    updated_at: at,
    ...(await embed(s, input)),
  };
  await s.campaigns.create(stored);
  const view = campaignView(stored, s.now());
  await s.recordAudit(c, entity(stored.campaign_id), 'campaign.create', undefined, view);
  s.campaignIndex.invalidate();
  return view;
}

async function write(
  s: AdminServices,
  c: Context<AdminEnv>,
  before: StoredCampaign,
  expected: number,
  next: StoredCampaign,
  action: string,
) {
  await s.campaigns.replace(next, expected);
  const view = campaignView(next, s.now());
  await s.recordAudit(c, entity(next.campaign_id), action, campaignView(before, s.now()), view);
  s.campaignIndex.invalidate();
  return view;
}

export async function updateCampaign(
  s: AdminServices,
  c: Context<AdminEnv>,
  id: string,
  expected: number,
  patch: CampaignPatch,
) {
  const before = await s.campaigns.require(id);
  if (before.status === 'archived')
    throw new ClientError(409, 'Campaign archived', 'archived campaigns are read-only');
  const current = effectiveStatus(before.status, before.schedule, s.now());
  if (patch.status && current !== 'draft' && current !== 'scheduled')
    throw new ClientError(
      409,
      'Invalid transition',
      `a ${current} campaign changes status through pause, resume or archive`,
    );
  const merged = { ...before, ...patch };
  const needsEmbedding = patch.name !== undefined || patch.creative !== undefined;
  const next: StoredCampaign = {
    ...merged,
    version: before.version + 1,
    updated_at: new Date(s.now()).toISOString(),
    ...(needsEmbedding ? await embed(s, merged) : {}),
  };
  return write(s, c, before, expected, next, 'campaign.update');
}

const TRANSITIONS: Record<'pause' | 'resume' | 'archive', { from: CampaignStatus[]; to: CampaignStatus }> = {
  pause: { from: ['scheduled', 'active'], to: 'paused' },
  // Resuming hands the campaign back to its schedule, which decides scheduled, active or ended.
  resume: { from: ['paused'], to: 'scheduled' },
  archive: { from: ['draft', 'scheduled', 'active', 'paused', 'ended'], to: 'archived' },
};

/** Pause, resume or archive, from the statuses where that makes sense; 409 otherwise. */
export async function transitionCampaign(
  s: AdminServices,
  c: Context<AdminEnv>,
  id: string,
  expected: number,
  action: keyof typeof TRANSITIONS,
) {
  const before = await s.campaigns.require(id);
  const current = effectiveStatus(before.status, before.schedule, s.now());
  const t = TRANSITIONS[action];
  if (!t.from.includes(current))
    throw new ClientError(409, 'Invalid transition', `cannot ${action} a campaign that is ${current}`);
  const next: StoredCampaign = {
    ...before,
    status: t.to,
    version: before.version + 1,
    updated_at: new Date(s.now()).toISOString(),
  };
  return write(s, c, before, expected, next, `campaign.${action}`);
}
