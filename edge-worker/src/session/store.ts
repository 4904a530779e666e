import { KV_KEYS } from '../cache/records';
import { readStamped, stamped } from '../cache/stamped-record';
import { log } from '../log';
import {
  SESSION_STATE_FINGERPRINT,
  SESSION_TTL_SECONDS,
  type SessionState,
  sessionStateSchema,
} from './state';

/** Port: per-session state at the edge. */
export interface SessionStore {
  get(sessionId: string): Promise<SessionState | undefined>;
  put(sessionId: string, state: SessionState): Promise<void>;
}

/**
 * SessionStore over Workers KV. KV allows one write per second per key, so callers write each
 * session at most once per request; a state that fails its schema reads as a new session.
 * States are validated and stamped when written (`stamped-record.ts`), so reads skip zod.
 */
export class KvSessionStore implements SessionStore {
  constructor(private readonly kv: KVNamespace) {}

  async get(sessionId: string): Promise<SessionState | undefined> {
    const raw = await this.kv.get(KV_KEYS.session(sessionId), 'json').catch((error: unknown) => {
      log('warn', 'session read failed', { session_id: sessionId, error });
      return null;
    });
    if (raw === null) return undefined;
    return readStamped(raw, SESSION_STATE_FINGERPRINT, sessionStateSchema);
  }

  async put(sessionId: string, state: SessionState): Promise<void> {
    // The TTL restarts with every write: the session ends 30 minutes after its last event.
    // Checked here, once per event batch, so every read can trust the stamp.
    const valid = sessionStateSchema.safeParse(state);
    if (!valid.success) {
      // A bug in the update, not bad input: keep the last good state rather than store this one.
      log('error', 'session state failed its schema; not written', { session_id: sessionId });
      return;
    }
    const body = JSON.stringify(stamped(valid.data, SESSION_STATE_FINGERPRINT));
    await this.kv.put(KV_KEYS.session(sessionId), body, {
      expirationTtl: SESSION_TTL_SECONDS,
    });
  }
}
