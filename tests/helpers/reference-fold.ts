/**
 * The user-state fold as it was before it updated a batch's working copy in place (commit 09ce07c):
 * every event copied, re-sorted and trimmed the affinity and session maps and copied the mood.
 * Kept only as the reference the current fold must agree with.
 */
import {
  addInteraction,
  decayFactor,
  type FoldInOptions,
  interactionWeight,
} from '../../shared/embedding/fold-in';
import type { StreamEvent } from '../../shared/schemas/event';
import type { ItemFacts } from '../../stream-handlers/common/item-lookup';
import type { ProfileParts } from '../../stream-handlers/user-state/fold';
import { textValence } from '../../stream-handlers/user-state/mood';
import type { Affinities, SessionFeatures } from '../../stream-handlers/user-state/profile';

export interface ReferenceFoldOptions extends FoldInOptions {
  readonly maxCategories?: number;
  readonly recentItems?: number;
  readonly maxSessions?: number;
}

const DEFAULT_HALF_LIFE_MS = 14 * 24 * 3600 * 1000;

export function referenceFoldEvent(
  parts: ProfileParts,
  e: StreamEvent,
  item: ItemFacts | undefined,
  opts: ReferenceFoldOptions = {},
): void {
  const weight = item ? interactionWeight(e.type, { rating: e.rating, dwellMs: e.dwell_ms }) : 0;
  const at = Date.parse(e.ts);
  if (item && weight !== 0 && item.embedding.length > 0)
    parts.taste = addInteraction(parts.taste, item.embedding, weight, at, opts);
  if (item && weight !== 0) parts.affinities = addAffinity(parts.affinities, item.category, weight, at, opts);
  parts.mood = referenceUpdateMood(parts.mood, e);
  parts.sessions = referenceFoldSession(parts.sessions ?? {}, e, item, opts);
}

function addAffinity(
  current: Affinities | undefined,
  category: string,
  weight: number,
  at: number,
  opts: ReferenceFoldOptions,
) {
  const half = opts.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const scores: Record<string, number> = { ...current?.scores };
  let stamp = current?.at ?? at;
  let w = weight;
  if (at >= stamp) {
    const keep = decayFactor(at - stamp, half);
    for (const k of Object.keys(scores)) scores[k] = (scores[k] as number) * keep;
    stamp = at;
  } else w = weight * decayFactor(stamp - at, half);
  scores[category] = (scores[category] ?? 0) + w;
  const kept = Object.entries(scores)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, opts.maxCategories ?? 24);
  return { scores: Object.fromEntries(kept), at: stamp };
}

export function referenceFoldSession(
  sessions: Record<string, SessionFeatures>,
  e: StreamEvent,
  item: ItemFacts | undefined,
  opts: ReferenceFoldOptions = {},
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

const VALENCE: Partial<Record<StreamEvent['type'], number>> = {
  purchase: 1,
  add_to_cart: 0.6,
  share: 0.6,
  click: 0.2,
  skip: -0.3,
  hide: -1,
};
const ENGAGED = new Set(['click', 'add_to_cart', 'purchase', 'share', 'rating']);
const BROWSING = new Set(['view', 'click', 'dwell', 'skip', 'hide', 'add_to_cart', 'purchase', 'share']);

export function referenceUpdateMood(
  mood: readonly number[] | undefined,
  e: StreamEvent,
  alpha = 0.2,
): number[] {
  const next = mood?.length === 4 ? [...mood] : [0, 0, 0, 0];
  const ema = (i: number, x: number) => {
    next[i] = (1 - alpha) * (next[i] as number) + alpha * x;
  };
  let valence = VALENCE[e.type];
  if (e.type === 'rating' && e.rating !== undefined) valence = (e.rating - 3) / 2;
  if (e.text) valence = textValence(e.text);
  if (valence !== undefined) ema(0, valence);
  if (e.type === 'dwell') ema(1, Math.min(1, (e.dwell_ms ?? 0) / 60_000));
  else if (ENGAGED.has(e.type)) ema(1, 1);
  else if (e.type === 'skip' || e.type === 'hide') ema(1, 0);
  if (BROWSING.has(e.type)) {
    ema(2, e.type === 'skip' ? 1 : 0);
    ema(3, e.type === 'hide' ? 1 : 0);
  }
  return next;
}
