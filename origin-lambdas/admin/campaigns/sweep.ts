import { ClientError } from '../../common/errors';
import type { AdminServices } from '../services';
import { effectiveStatus } from './schedule';
import { campaignView } from './service';

/**
 * Persists schedule-driven status changes (scheduled -> active -> ended) so that the
 * `by_status` index and readers that do not derive status see them. Reads derive status
 * anyway; the sweep only makes the stored value catch up. A lost race is left for the next run.
 */
export async function sweepCampaignStatuses(s: AdminServices): Promise<{ changed: string[] }> {
  const now = s.now();
  const changed: string[] = [];
  for (const stored of await s.campaigns.all()) {
    const status = effectiveStatus(stored.status, stored.schedule, now);
    if (status === stored.status) continue;
    const next = { ...stored, status, version: stored.version + 1, updated_at: new Date(now).toISOString() };
    try {
      await s.campaigns.replace(next, stored.version);
    } catch (err) {
      if (err instanceof ClientError) continue;
      throw err;
    }
    await s.audit.write({
      entity: `campaign:${stored.campaign_id}`,
      action: 'campaign.schedule',
      actor: 'system:sweep',
      role: 'system',
      request_id: 'sweep',
      before: { ...campaignView(stored, now), status: stored.status },
      after: campaignView(next, now),
    });
    changed.push(stored.campaign_id);
  }
  if (changed.length) s.campaignIndex.invalidate();
  return { changed };
}
