import type { DependencyHealth } from './event-stream';

/** The per-user state row that stream handlers keep current. */
export interface UserState {
  readonly user_id: string;
  readonly event_count: number;
  /** Most recent first, bounded. */
  readonly recent_items: readonly string[];
  /**
   * Digests of the last events' ids applied, bounded, oldest first: a second delivery of one of
   * them changes nothing. 9 bytes of each id's SHA-1, packed end to end (stream-handlers'
   * `event-digest`); absent before the first event. Rows written before the digests carry
   * `recent_event_ids` (the raw ids) instead, which the profile codec hashes on read.
   */
  readonly recent_event_digests?: Uint8Array;
  readonly last_event_type?: string;
  readonly last_event_at?: string;
  /** Highest stream sequence number applied; older deliveries are ignored. */
  readonly watermark?: string;
  readonly updated_at?: string;
  /** Optimistic-concurrency counter, bumped on every write. */
  readonly version: number;
}

/** One user's write in a batch: `next`, if the stored version still equals `expectedVersion`. */
export interface VersionedPut {
  readonly next: UserState;
  /** 0 = the row must not exist yet. */
  readonly expectedVersion: number;
}

/** Port: user state (DynamoDB). */
export interface UserStateStore {
  getUser(userId: string): Promise<UserState | undefined>;
  /** Reads many users in one round trip where the backend allows it. */
  getUsers(userIds: readonly string[]): Promise<Map<string, UserState>>;
  /**
   * Writes `next` only if the stored version still equals `expectedVersion` (0 = absent).
   * Returns false on a lost race so the caller can re-read and re-apply.
   */
  putIfVersion(next: UserState, expectedVersion: number): Promise<boolean>;
  /**
   * `putIfVersion` for many users in as few requests as the backend allows, each entry keeping its
   * own version condition: per entry, in order, true if written, false on a lost race. A user may
   * appear once. Any other failure rejects the call; entries already written stay written.
   */
  putManyIfVersion(entries: readonly VersionedPut[]): Promise<boolean[]>;
  health(): Promise<DependencyHealth>;
}
