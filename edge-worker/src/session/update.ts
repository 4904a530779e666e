import { type CachedCandidate, candidateVector } from '../../../shared/schemas/candidate';
import { type AttuneEvent, type EventType, subjectOf } from '../../../shared/schemas/event';
import { SURFACES } from '../../../shared/schemas/recommendation';
import type { Candidate } from '../../../shared/scoring/candidate';
import type { EdgeCache } from '../cache/edge-cache';
import { emptySessionState, SESSION_MAX_ITEMS, SESSION_VECTOR_ALPHA, type SessionState } from './state';
import type { SessionStore } from './store';

/** Events that say "more like this": they feed the session's categories and vector. */
const ENGAGED: ReadonlySet<EventType> = new Set(['click', 'add_to_cart', 'purchase', 'view', 'dwell']);

/** What the session update knows about an item: from the user's cached candidate list. */
export type ItemLookup = (itemId: string) => Pick<Candidate, 'category' | 'vector'> | undefined;

/** Appends `id` as the newest entry, keeping each id once and at most SESSION_MAX_ITEMS. */
function remember(list: string[], id: string): string[] {
  const next = list.filter((x) => x !== id);
  next.push(id);
  return next.length > SESSION_MAX_ITEMS ? next.slice(next.length - SESSION_MAX_ITEMS) : next;
}

/**
 * Folds a session's events, in order, into its state. Engaged items count as seen, add one to
 * their category and pull the session vector towards theirs (decayed mean, weight
 * SESSION_VECTOR_ALPHA); impressions mark items seen; `hide` hides. Pure.
 */
export function applyEvents(
  state: SessionState,
  events: readonly AttuneEvent[],
  lookup: ItemLookup,
  now: number,
): SessionState {
  let { seen, hidden, vector } = state;
  const categories = { ...state.categories };
  for (const e of events) {
    if (!e.item_id) continue;
    if (e.type === 'impression') seen = remember(seen, e.item_id);
    else if (e.type === 'hide') hidden = remember(hidden, e.item_id);
    else if (ENGAGED.has(e.type)) {
      seen = remember(seen, e.item_id);
      const item = lookup(e.item_id);
      if (!item) continue;
      categories[item.category] = (categories[item.category] ?? 0) + 1;
      const v = item.vector;
      if (!v || v.length === 0) continue;
      vector =
        vector.length === v.length
          ? vector.map((x, i) => (1 - SESSION_VECTOR_ALPHA) * x + SESSION_VECTOR_ALPHA * (v[i] as number))
          : [...v];
    }
  }
  return { seen, hidden, categories, vector, updated_at: now };
}

/** What {@link updateSessions} reads and writes. */
export interface SessionUpdateDeps {
  readonly sessions: SessionStore;
  readonly cache: EdgeCache;
  readonly now: number;
}

/**
 * Updates the state of every session in a batch: one read and one write per session, so a
 * request never writes a session key twice (KV allows one write per second per key). Item
 * categories and vectors come from the subjects' cached candidate lists (the event's surface,
 * else home); no origin call. Returns the new states by session id.
 */
export async function updateSessions(
  deps: SessionUpdateDeps,
  events: readonly AttuneEvent[],
): Promise<Map<string, SessionState>> {
  const bySession = new Map<string, AttuneEvent[]>();
  for (const e of events) {
    const list = bySession.get(e.session_id);
    if (list) list.push(e);
    else bySession.set(e.session_id, [e]);
  }
  const lookup = await candidateLookup(deps.cache, events);
  const out = new Map<string, SessionState>();
  await Promise.all(
    [...bySession].map(async ([sessionId, sessionEvents]) => {
      const before = (await deps.sessions.get(sessionId)) ?? emptySessionState();
      const after = applyEvents(before, sessionEvents, lookup, deps.now);
      await deps.sessions.put(sessionId, after);
      out.set(sessionId, after);
    }),
  );
  return out;
}

/** One lookup over the cached candidate lists the events' subjects and surfaces point at. */
async function candidateLookup(cache: EdgeCache, events: readonly AttuneEvent[]): Promise<ItemLookup> {
  const keys = new Map<string, [string, string]>();
  for (const e of events) {
    if (!e.item_id) continue;
    const subject = subjectOf(e);
    const surface = (SURFACES as readonly string[]).includes(e.surface ?? '')
      ? (e.surface as string)
      : 'home';
    for (const s of new Set([surface, 'home'])) keys.set(`${subject}\u0000${s}`, [subject, s]);
  }
  const records = await Promise.all([...keys.values()].map(([subject, s]) => cache.getRecs(subject, s)));
  const items = new Map<string, CachedCandidate>();
  for (const r of records) {
    if (r?.v !== 2) continue;
    for (const c of r.candidates) if (!items.has(c.item_id)) items.set(c.item_id, c);
  }
  // Only the events' items need their vectors decoded, not every cached candidate.
  return (id) => {
    const c = items.get(id);
    if (!c) return undefined;
    const vector = candidateVector(c);
    return vector ? { category: c.category, vector } : { category: c.category };
  };
}
