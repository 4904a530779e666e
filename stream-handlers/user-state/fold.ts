import {
  addInteraction,
  type FoldInOptions,
  interactionWeight,
  type TasteState,
} from '../../shared/embedding/fold-in';
import type { StreamEvent } from '../../shared/schemas/event';
import type { ItemFacts } from '../common/item-lookup';
import { type AffinityOptions, addAffinity } from './affinity';
import { moveMood, updateMood } from './mood';
import type { Affinities, SessionFeatures } from './profile';
import { foldSession, type SessionOptions } from './session';

/** The derived parts of a profile that one event moves. */
export interface ProfileParts {
  taste?: TasteState;
  affinities?: Affinities;
  mood?: number[];
  sessions?: Record<string, SessionFeatures>;
}

export interface FoldOptions extends FoldInOptions, SessionOptions, AffinityOptions {}

/**
 * Per parts, the objects foldEvent made for them. A batch folds all of a user's events into one
 * parts: the first event copies what it changes, the later ones update that copy in place instead of
 * copying the whole map again per event. The parts' other objects (the stored row's) are not written.
 */
const madeFor = new WeakMap<ProfileParts, WeakSet<object>>();

/**
 * Folds one event into the profile parts: the item's vector into the taste (shared fold-in,
 * weighted by event type and decayed by age), its category into the affinities with the same
 * weight and half-life, and the behaviour into the mood and the event into its session. Throws when the item's vector does not
 * fit the taste: that record is poison for this user and must go to the dead-letter destination.
 * Objects an earlier call put into `parts` may change in place: read the parts once the fold is done.
 */
export function foldEvent(
  parts: ProfileParts,
  e: StreamEvent,
  item: ItemFacts | undefined,
  opts: FoldOptions = {},
): void {
  const weight = item ? interactionWeight(e.type, { rating: e.rating, dwellMs: e.dwell_ms }) : 0;
  const at = Date.parse(e.ts);
  // The taste goes first: if the item's vector does not fit, nothing of this event is kept.
  if (item && weight !== 0 && item.embedding.length > 0)
    parts.taste = addInteraction(parts.taste, item.embedding, weight, at, opts);
  let mutable = madeFor.get(parts);
  if (!mutable) {
    mutable = new WeakSet();
    madeFor.set(parts, mutable);
  }
  if (item && weight !== 0)
    parts.affinities = addAffinity(parts.affinities, item.category, weight, at, opts, mutable);
  if (parts.mood && mutable.has(parts.mood)) moveMood(parts.mood, e);
  else {
    parts.mood = updateMood(parts.mood, e);
    mutable.add(parts.mood);
  }
  parts.sessions = foldSession(parts.sessions ?? {}, e, item, opts, mutable);
}
