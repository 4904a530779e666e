import { subjectOf } from '../../../shared/schemas/event';

/** Cookie the Worker mints for visitors without an id; the browser SDK reads it, so not HttpOnly. */
export const ANONYMOUS_ID_COOKIE = 'attune_aid';

const VALID_ID = /^[\w.:-]{1,128}$/;

/** Where the identity of a recommendation request came from. */
export interface ResolvedIdentity {
  readonly user_id?: string;
  readonly anonymous_id?: string;
  /** A new anonymous id the response must set as a cookie. */
  readonly minted?: string;
}

/**
 * Picks the identity: `user_id`, else `anonymous_id`, else the `attune_aid` cookie (when it
 * looks like an id), else a freshly minted UUID.
 */
export function resolveIdentity(
  query: { user_id?: string; anonymous_id?: string },
  cookie: string | undefined,
  mint: () => string = () => crypto.randomUUID(),
): ResolvedIdentity {
  if (query.user_id || query.anonymous_id) return query;
  if (cookie && VALID_ID.test(cookie)) return { anonymous_id: cookie };
  const minted = mint();
  return { anonymous_id: minted, minted };
}

/**
 * Cache subject for an identity. The shared partition key keeps a user id and an anonymous
 * id that happen to be equal from sharing a cache entry.
 */
export function cacheSubject(identity: { user_id?: string; anonymous_id?: string }): string {
  return subjectOf(identity);
}
