/**
 * The bench's users and the request each one makes, shared by the KV warm-up (host) and the
 * load (parent), so the keys written are the keys read.
 */
import { KV_KEYS } from '../../edge-worker/src/cache/records';
import { cacheSubject } from '../../edge-worker/src/recommend/subject';

/** The one browsing session every bench request carries (its state is warm in KV too). */
export const BENCH_SESSION_ID = 'bench-session-1';

const SURFACE = 'home';

/** User ids `bench-u0` .. `bench-u<n-1>`. */
export function benchUsers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench-u${i}`);
}

/** The KV key of a user's cached answer, as the Worker derives it from `?user_id=`. */
export function recsKeyOf(userId: string): string {
  return KV_KEYS.recs(cacheSubject({ user_id: userId }), SURFACE);
}

/** The KV key of the bench session's state. */
export const sessionKey = KV_KEYS.session(BENCH_SESSION_ID);

/** Path of one hit on the real Worker; with the bench session unless `withSession` is false. */
export function realPath(userId: string, limit: number, withSession = true): string {
  const q = new URLSearchParams({ user_id: userId, surface: SURFACE, limit: String(limit) });
  if (withSession) q.set('session_id', BENCH_SESSION_ID);
  return `/v1/recommendations?${q}`;
}

/** Path of one read on the baseline Worker: the same record's key. */
export function baselinePath(userId: string): string {
  return `/?key=${encodeURIComponent(recsKeyOf(userId))}`;
}
