import { capFacet } from '../../origin-lambdas/admin/users/profile';
import { localDay } from '../../origin-lambdas/admin/users/targeting';
import { type StreamEvent, subjectOf } from '../../shared/schemas/event';
import type { CounterWrite } from '../common/counter-store';
import { IMPRESSION_TYPES } from './attribution';

/** How long a day's cap row is kept: the cap reads today only; two more days cover late events. */
const CAP_ROW_DAYS = 3;

/** Where the users table keeps each shard's dedupe ledger for cap rows (outside any user's partition). */
export const capLedgerKey = (shardId: string) => ({ user_id: '~ledger#caps', facet: shardId });

/** The calendar day in `timeZone`, UTC when the zone is unknown to this runtime (never a poison batch). */
function dayIn(at: number, timeZone: string): string {
  try {
    return localDay(at, timeZone);
  } catch {
    return localDay(at, 'UTC');
  }
}

/**
 * The per-user daily cap counter one event moves: a campaign impression adds one to
 * `cap#<campaign>#<day>` in the subject's partition of `users`, where `day` is the event's calendar
 * day in the campaign's time zone, the day `ineligibility` compares against the cap. The row
 * expires with DynamoDB TTL a few days later.
 */
export function capWrites(
  e: StreamEvent,
  timeZoneOf: (campaignId: string) => string | undefined,
): CounterWrite[] {
  if (!e.campaign_id || !IMPRESSION_TYPES.has(e.type)) return [];
  const at = Date.parse(e.ts);
  const day = dayIn(at, timeZoneOf(e.campaign_id) ?? 'UTC');
  return [
    {
      key: { user_id: subjectOf(e), facet: capFacet(e.campaign_id, day) },
      add: { impressions: 1 },
      set: { expires_at: Math.floor(at / 1000) + CAP_ROW_DAYS * 86_400 },
    },
  ];
}

/** Campaign time zones, read at most once per `ttlMs` per container (campaigns change by hand). */
export function campaignTimeZones(
  campaigns: { all(): Promise<readonly { campaign_id: string; schedule: { time_zone: string } }[]> },
  ttlMs = 60_000,
  now: () => number = Date.now,
): () => Promise<ReadonlyMap<string, string>> {
  let cached: { at: number; value: Map<string, string> } | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.value;
    const value = new Map((await campaigns.all()).map((c) => [c.campaign_id, c.schedule.time_zone]));
    cached = { at: now(), value };
    return value;
  };
}
