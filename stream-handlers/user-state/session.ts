import { interactionWeight } from '../../shared/embedding/fold-in';
import type { StreamEvent } from '../../shared/schemas/event';
import type { ItemFacts } from '../common/item-lookup';
import type { SessionFeatures } from './profile';

export interface SessionOptions {
  /** Items kept per session. @default 20 */
  readonly recentItems?: number;
  /** Sessions kept in the state row, most recently active first. @default 3 */
  readonly maxSessions?: number;
}

type Session = {
  started_at: string;
  last_event_at: string;
  event_count: number;
  recent_items: string[];
  vector: number[];
  category_counts: Record<string, number>;
};
type Sessions = Record<string, SessionFeatures>;

/**
 * Folds one event into its session's features. Sessions live in the user's state row, keyed by
 * session id, so they share its watermark and event-id set (exactly once for free) and its single
 * write per batch; only the few most recently active sessions are kept.
 *
 * Objects in `mutable` (the map and sessions an earlier event of the same fold returned) are updated
 * in place; anything else is copied before it changes, so a caller's state is never written.
 */
export function foldSession(
  sessions: Sessions,
  e: StreamEvent,
  item: ItemFacts | undefined,
  opts: SessionOptions = {},
  mutable: WeakSet<object> = new WeakSet(),
): Sessions {
  const id = e.session_id;
  const s = sessions[id];
  // Checked before the event moves it: a session that was the most recent stays so.
  const stillFirst = mutable.has(sessions) && mostRecent(sessions) === id;
  const next = s && mutable.has(s) ? (s as Session) : workingCopy(s, mutable);
  const weight = interactionWeight(e.type, { rating: e.rating, dwellMs: e.dwell_ms });
  if (e.item_id && item && weight > 0) {
    moveToFront(next.recent_items, e.item_id, opts.recentItems ?? 20);
    next.category_counts[item.category] = (next.category_counts[item.category] ?? 0) + 1;
  }
  const vector = next.vector;
  const fits =
    item && item.embedding.length > 0 && (vector.length === 0 || vector.length === item.embedding.length);
  if (weight !== 0 && fits)
    for (let i = 0; i < item.embedding.length; i++)
      vector[i] = (vector[i] ?? 0) + weight * (item.embedding[i] as number);
  // Timestamps compare as strings; an absent one loses every comparison, so the event's is taken.
  if (!(next.started_at < e.ts)) next.started_at = e.ts;
  if (!(next.last_event_at > e.ts)) next.last_event_at = e.ts;
  next.event_count += 1;
  if (stillFirst) {
    if (s !== next) sessions[id] = next;
    return sessions;
  }
  const all = Object.entries({ ...sessions, [id]: next })
    .sort((a, b) => b[1].last_event_at.localeCompare(a[1].last_event_at) || a[0].localeCompare(b[0]))
    .slice(0, opts.maxSessions ?? 3);
  const kept = Object.fromEntries(all);
  mutable.add(kept);
  return kept;
}

/** A session's features as fresh objects this fold may change (a new session when absent). */
function workingCopy(s: SessionFeatures | undefined, mutable: WeakSet<object>): Session {
  const copy: Session = {
    started_at: s?.started_at as string,
    last_event_at: s?.last_event_at as string,
    event_count: s?.event_count ?? 0,
    recent_items: [...(s?.recent_items ?? [])],
    vector: [...(s?.vector ?? [])],
    category_counts: { ...s?.category_counts },
  };
  mutable.add(copy);
  return copy;
}

/** `id` first, no other copy of it, at most `max` items. */
function moveToFront(items: string[], id: string, max: number): void {
  let kept = 0;
  for (const x of items) if (x !== id) items[kept++] = x;
  items.length = kept;
  items.unshift(id);
  if (items.length > max) items.length = max;
}

/** The session that sorts first: latest activity, then lowest id. */
function mostRecent(sessions: Sessions): string | undefined {
  let best: string | undefined;
  for (const k in sessions) {
    if (best === undefined) {
      best = k;
      continue;
    }
    const later = (sessions[k] as SessionFeatures).last_event_at.localeCompare(
      (sessions[best] as SessionFeatures).last_event_at,
    );
    if (later > 0 || (later === 0 && k.localeCompare(best) < 0)) best = k;
  }
  return best;
}
