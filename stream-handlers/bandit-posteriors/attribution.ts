import type { StreamEvent } from '../../shared/schemas/event';
import type { CounterWrite } from '../common/counter-store';

/** The context bucket that pools every context of an arm. */
export const ALL_CONTEXTS = '*';

/** Event types that are a trial of whatever was shown (an impression). */
export const IMPRESSION_TYPES: ReadonlySet<string> = new Set(['impression', 'campaign_view']);
const REWARD = new Set(['click', 'campaign_click']);

/**
 * What one event adds to a Beta counter: an impression is a trial (beta + 1), a click turns it
 * into a success (alpha + 1, beta - 1); anything else adds nothing. Arms and experiment variants
 * count the same way, so the same readers serve both.
 */
export function trialOutcome(type: string): Readonly<Record<string, number>> | undefined {
  if (IMPRESSION_TYPES.has(type)) return { impressions: 1, beta: 1 };
  if (REWARD.has(type)) return { rewards: 1, alpha: 1, beta: -1 };
  return undefined;
}

/** The bandit arm an event is about: a campaign, or an item in an exploration slot. */
export function armOf(e: Pick<StreamEvent, 'campaign_id' | 'item_id'>): string | undefined {
  if (e.campaign_id) return `campaign:${e.campaign_id}`;
  return e.item_id ? `item:${e.item_id}` : undefined;
}

/** The context bucket of an event: device and daypart, the features the bandit conditions on. */
export function contextBucket(e: Pick<StreamEvent, 'context'>): string {
  return `${e.context?.device ?? 'any'}|${e.context?.daypart ?? 'any'}`;
}

/**
 * The posterior changes one event makes, per (arm, context) and per (arm, '*'). Only events that
 * carry the `decision_id` of a bandit decision count. Attribution by counts: an impression is a
 * trial (beta + 1), a click on the same decision turns it into a success (alpha + 1, beta - 1), so
 * alpha = rewarded decisions and beta = unrewarded ones at any moment, without an attribution
 * window. Readers add the Beta(1, 1) prior. A purchase carrying the campaign's id counts as a
 * conversion of that campaign (campaign stats report it) without touching alpha or beta.
 */
export function posteriorWrites(e: StreamEvent): CounterWrite[] {
  const arm = armOf(e);
  if (!e.decision_id || !arm) return [];
  // A purchase after a campaign's decision is its conversion; the Beta stays on clicks alone.
  const add =
    trialOutcome(e.type) ?? (e.type === 'purchase' && e.campaign_id ? { conversions: 1 } : undefined);
  if (!add) return [];
  const set = { last_event_at: e.received_at };
  const buckets = [contextBucket(e), ALL_CONTEXTS];
  return buckets.map((context) => ({ key: { arm_id: arm, context }, add, set }));
}
