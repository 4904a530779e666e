/** Where a candidate came from; drives its explanation and the source-indicator features. */
export const SOURCES = ['collaborative', 'content', 'trending', 'editorial', 'popular', 'explore'] as const;
export type CandidateSource = (typeof SOURCES)[number];

/**
 * One candidate as the origin ranks it and the edge caches it: small enough that a few hundred
 * fit one KV value, rich enough to re-score per request without calling back.
 */
export interface Candidate {
  readonly item_id: string;
  readonly category: string;
  /** The ranker's score in [0, 1]. */
  readonly score: number;
  readonly source: CandidateSource;
  /** Popularity in [0, 1] within the candidate set. */
  readonly popularity: number;
  /** 1 for brand new, halving with age. */
  readonly freshness: number;
  /** Content embedding, for session similarity at the edge. */
  readonly vector?: readonly number[];
  /** The same, quantized (shared/embedding/quantize.ts), as the edge caches it; used when `vector` is absent. */
  readonly vq?: string;
  readonly title?: string;
  readonly sponsored?: boolean;
  readonly campaign_id?: string;
  /** The item the user engaged with that made this a candidate ("Because you viewed X"). */
  readonly anchor_title?: string;
}

/** What the current session says about intent, kept at the edge and sent with origin requests. */
export interface SessionSignals {
  /** Items seen (impressed or clicked) in this session: never shown again. */
  readonly seen: ReadonlySet<string>;
  /** Items hidden by the user: never shown again, and their category is damped. */
  readonly hidden: ReadonlySet<string>;
  /** Mean vector of items engaged with in this session (empty when none). */
  readonly vector: readonly number[];
  /** Engagements per category in this session. */
  readonly categories: Readonly<Record<string, number>>;
}

export const EMPTY_SESSION: SessionSignals = {
  seen: new Set(),
  hidden: new Set(),
  vector: [],
  categories: {},
};
