import { tasteEmbedding } from '../../shared/embedding/fold-in';
import type { UserState } from '../../shared/ports/user-state-store';
import type { SequencedEvent } from '../common/delivered';
import { idDigest, packDigests, unpackDigests } from '../common/event-digest';
import type { ItemFacts } from '../common/item-lookup';
import { compareSequence } from '../common/sequence';
import { type FoldOptions, foldEvent, type ProfileParts } from './fold';
import { EMBEDDING_VERSION, type UserProfile } from './profile';

export type { SequencedEvent } from '../common/delivered';

export interface ApplyOptions {
  /** How many recent item ids to keep. @default 50 */
  readonly recentItems?: number;
  /**
   * How many recent event ids to remember for deduplicating client retries (redeliveries are
   * stopped by the watermark). @default 100
   */
  readonly recentEventIds?: number;
  /** How many purchased item ids to keep for the "already purchased" filter. @default 500 */
  readonly purchasedItems?: number;
  /** Category and vector of the batch's items; without it only counters and mood move. */
  readonly items?: ReadonlyMap<string, ItemFacts>;
  /** Half-life and affinity bounds for the taste fold-in. */
  readonly fold?: FoldOptions;
  readonly now?: () => Date;
}

/** The outcome for one user: the next state (if anything changed) and the first record that threw. */
export interface UserApplyResult {
  readonly next?: UserProfile;
  readonly failed?: { readonly sequenceNumber: string; readonly error: Error };
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
): UserProfile | undefined {
  const out = applyUserEventsDetailed(userId, current, delivered, opts);
  if (out.failed) throw out.failed.error;
  return out.next;
}

/**
 * As applyUserEvents, but a record that throws (an item vector that does not fit the taste) stops
 * the user's fold there: the state keeps the events before it, and that record and the user's later
 * ones are reported so they are redelivered in order and the poison one ends up dead-lettered.
 */
export function applyUserEventsDetailed(
  userId: string,
  current: UserProfile | undefined,
  delivered: readonly SequencedEvent[],
  opts: ApplyOptions = {},
): UserApplyResult {
  const maxRecent = opts.recentItems ?? 50;
  const maxIds = opts.recentEventIds ?? 100;
  const state: UserProfile = current ?? {
    user_id: userId,
    event_count: 0,
    recent_items: [],
    version: 0,
  };
  const recentDigests = unpackDigests(state.recent_event_digests);
  const seen = new Set(recentDigests);
  const ordered = [...delivered].sort((a, b) => compareSequence(a.sequenceNumber, b.sequenceNumber));
  let { watermark, event_count, last_event_type, last_event_at, last_session_id } = state;
  let recentItems = [...state.recent_items];
  let purchased = state.purchased ? [...state.purchased] : undefined;
  const parts: ProfileParts = {
    ...(state.taste ? { taste: state.taste } : {}),
    ...(state.affinities ? { affinities: state.affinities } : {}),
    ...(state.mood ? { mood: [...state.mood] } : {}),
    ...(state.sessions ? { sessions: { ...state.sessions } } : {}),
  };
  let newestTs: number | undefined;
  let changed = false;
  let failed: UserApplyResult['failed'];
  for (const { event, sequenceNumber } of ordered) {
    if (watermark && compareSequence(sequenceNumber, watermark) <= 0) continue;
    const digest = idDigest(event.event_id);
    if (!seen.has(digest)) {
      try {
        foldEvent(parts, event, event.item_id ? opts.items?.get(event.item_id) : undefined, opts.fold);
      } catch (error) {
        failed = { sequenceNumber, error: error as Error };
        break;
      }
      seen.add(digest);
      recentDigests.push(digest);
      event_count += 1;
      last_event_type = event.type;
      last_event_at = event.ts;
      last_session_id = event.session_id;
      newestTs = Math.max(newestTs ?? 0, Date.parse(event.ts));
      if (event.item_id && ENGAGEMENT.has(event.type)) {
        recentItems = [event.item_id, ...recentItems.filter((i) => i !== event.item_id)].slice(0, maxRecent);
      }
      if (event.item_id && event.type === 'purchase')
        purchased = [event.item_id, ...(purchased ?? []).filter((i) => i !== event.item_id)].slice(
          0,
          opts.purchasedItems ?? 500,
        );
      if (event.item_id && event.type === 'hide')
        recentItems = recentItems.filter((i) => i !== event.item_id);
    }
    watermark = sequenceNumber;
    changed = true;
  }
  if (!changed) return failed ? { failed } : {};
  const now = opts.now?.() ?? new Date();
  const next: UserProfile = {
    ...state,
    event_count,
    recent_items: recentItems,
    ...(purchased ? { purchased } : {}),
    ...(recentDigests.length ? { recent_event_digests: packDigests(recentDigests.slice(-maxIds)) } : {}),
    ...(last_event_type ? { last_event_type } : {}),
    ...(last_event_at ? { last_event_at } : {}),
    ...(last_session_id ? { last_session_id } : {}),
    ...(watermark ? { watermark } : {}),
    ...(parts.taste
      ? { taste: parts.taste, embedding: tasteEmbedding(parts.taste), embedding_version: EMBEDDING_VERSION }
      : {}),
    ...(parts.affinities ? { affinities: parts.affinities } : {}),
    ...(parts.mood ? { mood: parts.mood } : {}),
    ...(parts.sessions ? { sessions: parts.sessions } : {}),
    ...(newestTs !== undefined ? { freshness_ms: Math.max(0, now.getTime() - newestTs) } : {}),
    updated_at: now.toISOString(),
    version: state.version + 1,
  };
  return failed ? { next, failed } : { next };
}
