import { servingNow } from '../campaigns/schedule';
import type { StoredCampaign } from '../campaigns/store';
import type { UserProfileView } from './profile';

/** Users with fewer events than this count as new for `audience` targeting. */
export const NEW_USER_EVENTS = 5;

/** The request context targeting may test, when the caller knows it better than the stored state. */
export interface TargetingContext {
  readonly now: number;
  readonly surface?: string;
  readonly country?: string;
  readonly device?: string;
  /** Total impressions so far per campaign id. */
  readonly totalImpressions: (campaignId: string) => number;
}

/** The campaign's local calendar day at `now`, which per-user daily caps count in. */
export function localDay(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(now));
}

/**
 * Why a campaign may not be shown to a user now, or undefined when it may. Checks, in order:
 * schedule and status, surface, targeting (segments, affinities, country, device, audience),
 * then caps (total, then per user per day).
 */
export function ineligibility(
  c: StoredCampaign,
  user: UserProfileView,
  ctx: TargetingContext,
): string | undefined {
  if (!servingNow(c.status, c.schedule, ctx.now)) return 'not serving now';
  if (ctx.surface && !c.surfaces.includes(ctx.surface as never)) return 'surface';
  const t = c.targeting;
  if (t.segments.length && !t.segments.some((s) => user.segments.includes(s))) return 'segments';
  if (
    t.category_affinities.length &&
    !t.category_affinities.some((cat) => (user.affinities[cat] ?? 0) >= t.min_affinity)
  )
    return 'category affinities';
  const country = ctx.country ?? user.country;
  if (t.countries.length && (!country || !t.countries.includes(country))) return 'country';
  const device = ctx.device ?? user.device;
  if (t.devices.length && (!device || !t.devices.includes(device as never))) return 'device';
  const isNew = user.eventCount < NEW_USER_EVENTS;
  if ((t.audience === 'new' && !isNew) || (t.audience === 'returning' && isNew)) return 'audience';
  if (
    c.caps.total_impressions !== undefined &&
    ctx.totalImpressions(c.campaign_id) >= c.caps.total_impressions
  )
    return 'total cap';
  const today = localDay(ctx.now, c.schedule.time_zone);
  if (
    c.caps.per_user_per_day !== undefined &&
    user.impressionsOn(c.campaign_id, today) >= c.caps.per_user_per_day
  )
    return 'daily cap';
  return undefined;
}
