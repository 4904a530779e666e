import type { TasteState } from '../../shared/embedding/fold-in';
import type { UserState } from '../../shared/ports/user-state-store';

/** Version of the embedding space a stored taste lives in: fold-in over 32-d content vectors. */
export const EMBEDDING_VERSION = 1;

/** Names of the mood vector's components, in order; each is an exponential moving average. */
export const MOOD_DIMENSIONS = ['valence', 'engagement', 'skip_rate', 'hide_rate'] as const;

/** Decayed per-category affinity scores, decayed to `at` (epoch ms). */
export interface Affinities {
  readonly scores: Readonly<Record<string, number>>;
  readonly at: number;
}

/**
 * The `state` row the user-state handler keeps: the port's fields plus the derived profile. The
 * store writes every field it is given, so the port stays small while the row carries the profile.
 */
export interface UserProfile extends UserState {
  /** Decayed weighted sum of touched items' vectors; the embedding is its direction. */
  readonly taste?: TasteState;
  /** Unit-length taste embedding, ready for a dot product. */
  readonly embedding?: readonly number[];
  readonly embedding_version?: number;
  readonly affinities?: Affinities;
  /** See MOOD_DIMENSIONS. */
  readonly mood?: readonly number[];
  readonly last_session_id?: string;
  /** Items bought, most recent first, bounded: retrieval never recommends them again. */
  readonly purchased?: readonly string[];
  /** The most recently active sessions by id (see SessionFeatures). */
  readonly sessions?: Readonly<Record<string, SessionFeatures>>;
  /** `event ts -> stored` of the newest event in the last write, in ms. */
  readonly freshness_ms?: number;
}

/** One session's features, kept in the user's state row under its session id. */
export interface SessionFeatures {
  readonly started_at: string;
  readonly last_event_at: string;
  readonly event_count: number;
  /** Most recent first, bounded. */
  readonly recent_items: readonly string[];
  /** Weighted sum of the session's item vectors (skips and hides subtract). */
  readonly vector: readonly number[];
  readonly category_counts: Readonly<Record<string, number>>;
}
