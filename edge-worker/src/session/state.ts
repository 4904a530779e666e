import { z } from 'zod';
import type { SessionSignals } from '../../../shared/scoring/candidate';

/** How many seen (and hidden) ids a session keeps; older ones may come back. */
export const SESSION_MAX_ITEMS = 200;

/** Session state lives 30 minutes after its last event, like a web analytics session. */
export const SESSION_TTL_SECONDS = 30 * 60;

/**
 * Weight of the newest engaged item in the session vector: the vector is an exponentially
 * decayed mean, so the last few clicks dominate without forgetting the session's theme.
 */
export const SESSION_VECTOR_ALPHA = 0.3;

/** A session's state as stored in KV (`session:v1:<session_id>`). */
export const sessionStateSchema = z.object({
  seen: z.array(z.string()).max(SESSION_MAX_ITEMS),
  hidden: z.array(z.string()).max(SESSION_MAX_ITEMS),
  categories: z.record(z.string(), z.number()),
  vector: z.array(z.number()).max(256),
  /** Epoch ms of the last update. */
  updated_at: z.number().int().min(0),
});

export type SessionState = z.infer<typeof sessionStateSchema>;

/** The stamp of states that satisfied `sessionStateSchema` when written (`stamped-record.ts`). */
export const SESSION_STATE_FINGERPRINT = 'session-f2db2509';

/** The state of a session that has not done anything yet. */
export function emptySessionState(): SessionState {
  return { seen: [], hidden: [], categories: {}, vector: [], updated_at: 0 };
}

/** The signals the scoring core reads, from a stored state (or none: the empty session). */
export function toSignals(state: SessionState | undefined): SessionSignals {
  if (!state) return { seen: new Set(), hidden: new Set(), vector: [], categories: {} };
  return {
    seen: new Set(state.seen),
    hidden: new Set(state.hidden),
    vector: state.vector,
    categories: state.categories,
  };
}
