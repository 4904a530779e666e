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

/**
 * Folds one event into its session's features. Sessions live in the user's state row, keyed by
 * session id, so they share its watermark and event-id set (exactly once for free) and its single
 * write per batch; only the few most recently active sessions are kept.
 */
export function foldSession(
  sessions: Record<string, SessionFeatures>,
  e: StreamEvent,
  item: ItemFacts | undefined,
  opts: SessionOptions = {},
): Record<string, SessionFeatures> {
  const s = sessions[e.session_id];
  let recent = [...(s?.recent_items ?? [])];
  let vector = [...(s?.vector ?? [])];
  const counts: Record<string, number> = { ...s?.category_counts };
  const weight = interactionWeight(e.type, { rating: e.rating, dwellMs: e.dwell_ms });
  if (e.item_id && item && weight > 0) {
    recent = [e.item_id, ...recent.filter((i) => i !== e.item_id)].slice(0, opts.recentItems ?? 20);
    counts[item.category] = (counts[item.category] ?? 0) + 1;
  }
  const fits =
    item && item.embedding.length > 0 && (vector.length === 0 || vector.length === item.embedding.length);
  if (weight !== 0 && fits) vector = item.embedding.map((x, i) => (vector[i] ?? 0) + weight * x);
  const next: SessionFeatures = {
    started_at: s && s.started_at < e.ts ? s.started_at : e.ts,
    last_event_at: s && s.last_event_at > e.ts ? s.last_event_at : e.ts,
    event_count: (s?.event_count ?? 0) + 1,
    recent_items: recent,
    vector,
    category_counts: counts,
  };
  const all = Object.entries({ ...sessions, [e.session_id]: next })
    .sort((a, b) => b[1].last_event_at.localeCompare(a[1].last_event_at) || a[0].localeCompare(b[0]))
    .slice(0, opts.maxSessions ?? 3);
  return Object.fromEntries(all);
}
