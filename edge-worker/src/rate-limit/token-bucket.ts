/** How fast a bucket refills and how much it holds. */
export interface BucketLimits {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** The most tokens a bucket holds: the largest burst a client may send at once. */
  readonly burst: number;
}

/** A bucket's state: its tokens as of `at` (epoch ms). */
export interface BucketState {
  readonly tokens: number;
  readonly at: number;
}

/** The outcome of taking one token. */
export type Take =
  | { readonly allowed: true; readonly state: BucketState }
  | { readonly allowed: false; readonly state: BucketState; readonly retryAfterSeconds: number };

/**
 * Takes one token from a bucket (a new client's bucket starts full). Denied, it reports how
 * many whole seconds until a token is back, at least 1 because `Retry-After: 0` invites a
 * tight retry loop. Pure.
 */
export function takeToken(state: BucketState | undefined, now: number, limits: BucketLimits): Take {
  const elapsed = state ? Math.max(0, now - state.at) / 1000 : 0;
  const tokens = state ? Math.min(limits.burst, state.tokens + elapsed * limits.ratePerSecond) : limits.burst;
  if (tokens >= 1) return { allowed: true, state: { tokens: tokens - 1, at: now } };
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / limits.ratePerSecond));
  return { allowed: false, state: { tokens, at: now }, retryAfterSeconds };
}
