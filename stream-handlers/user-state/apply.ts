import type { UserState } from '../../shared/ports/user-state-store';
import type { StreamEvent } from '../../shared/schemas/event';
import { compareSequence } from '../common/sequence';

/** One delivered event with the stream position it came from. */
export interface SequencedEvent {
  readonly event: StreamEvent;
  readonly sequenceNumber: string;
}

export interface ApplyOptions {
  /** How many recent item ids to keep. @default 50 */
  readonly recentItems?: number;
  /** How many recent event ids to remember for deduplication. @default 200 */
  readonly recentEventIds?: number;
  readonly now?: () => Date;
}

// Event types that say the user engaged with the item; impressions and negatives don't make it "recent".
const ENGAGEMENT = new Set(['view', 'click', 'add_to_cart', 'purchase', 'rating', 'share', 'dwell']);

/**
 * Applies one user's delivered events to their state, exactly once: events at or below the
 * watermark (redelivery, replay) and events whose id was already applied (client retries that
 * became separate records) change nothing. Returns undefined when nothing changed.
 */
export function applyUserEvents(
  userId: string,
  current: UserState | undefined,
  delivered: readonly SequencedEvent[],
  opts: ApplyOptions = {},
): UserState | undefined {
  const maxRecent = opts.recentItems ?? 50;
  const maxIds = opts.recentEventIds ?? 200;
  const state: UserState = current ?? {
    user_id: userId,
    event_count: 0,
    recent_items: [],
    recent_event_ids: [],
    version: 0,
  };
  const seen = new Set(state.recent_event_ids);
  const ordered = [...delivered].sort((a, b) => compareSequence(a.sequenceNumber, b.sequenceNumber));
  let { watermark, event_count, last_event_type, last_event_at } = state;
  let recentItems = [...state.recent_items];
  const recentIds = [...state.recent_event_ids];
  let changed = false;
  for (const { event, sequenceNumber } of ordered) {
    if (watermark && compareSequence(sequenceNumber, watermark) <= 0) continue;
    watermark = sequenceNumber;
    changed = true;
    if (seen.has(event.event_id)) continue;
    seen.add(event.event_id);
    recentIds.push(event.event_id);
    event_count += 1;
    last_event_type = event.type;
    last_event_at = event.ts;
    if (event.item_id && ENGAGEMENT.has(event.type)) {
      recentItems = [event.item_id, ...recentItems.filter((i) => i !== event.item_id)].slice(0, maxRecent);
    }
    if (event.item_id && event.type === 'hide') recentItems = recentItems.filter((i) => i !== event.item_id);
  }
  if (!changed) return undefined;
  return {
    ...state,
    event_count,
    recent_items: recentItems,
    recent_event_ids: recentIds.slice(-maxIds),
    ...(last_event_type ? { last_event_type } : {}),
    ...(last_event_at ? { last_event_at } : {}),
    ...(watermark ? { watermark } : {}),
    updated_at: (opts.now?.() ?? new Date()).toISOString(),
    version: state.version + 1,
  };
}
