import {
  addInteraction,
  decayFactor,
  type FoldInOptions,
  interactionWeight,
  type TasteState,
} from '../../shared/embedding/fold-in';
import type { StreamEvent } from '../../shared/schemas/event';
import type { ItemFacts } from '../common/item-lookup';
import { updateMood } from './mood';
import type { Affinities, SessionFeatures } from './profile';
import { foldSession, type SessionOptions } from './session';

/** The derived parts of a profile that one event moves. */
export interface ProfileParts {
  taste?: TasteState;
  affinities?: Affinities;
  mood?: number[];
  sessions?: Record<string, SessionFeatures>;
}

export interface FoldOptions extends FoldInOptions, SessionOptions {
  /** Categories kept in the affinity map, strongest first. @default 24 */
  readonly maxCategories?: number;
}

const DEFAULT_HALF_LIFE_MS = 14 * 24 * 3600 * 1000;

/**
 * Folds one event into the profile parts: the item's vector into the taste (shared fold-in,
 * weighted by event type and decayed by age), its category into the affinities with the same
 * weight and half-life, and the behaviour into the mood and the event into its session. Throws when the item's vector does not
 * fit the taste: that record is poison for this user and must go to the dead-letter destination.
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
  if (item && weight !== 0) parts.affinities = addAffinity(parts.affinities, item.category, weight, at, opts);
  parts.mood = updateMood(parts.mood, e);
  parts.sessions = foldSession(parts.sessions ?? {}, e, item, opts);
}

function addAffinity(
  current: Affinities | undefined,
  category: string,
  weight: number,
  at: number,
  opts: FoldOptions,
) {
  const half = opts.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const scores: Record<string, number> = { ...current?.scores };
  let stamp = current?.at ?? at;
  let w = weight;
  // Same rule as the taste: a newer event decays what is stored, an older one is decayed itself.
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
