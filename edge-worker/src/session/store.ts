import { KV_KEYS } from '../cache/records';
import { log } from '../log';
import { SESSION_TTL_SECONDS, type SessionState, sessionStateSchema } from './state';

/** Port: per-session state at the edge. */
export interface SessionStore {
  get(sessionId: string): Promise<SessionState | undefined>;
  put(sessionId: string, state: SessionState): Promise<void>;
}

/**
 * SessionStore over Workers KV. KV allows one write per second per key, so callers write each
 * session at most once per request; a state that fails its schema reads as a new session.
 */
export class KvSessionStore implements SessionStore {
  constructor(private readonly kv: KVNamespace) {}

  async get(sessionId: string): Promise<SessionState | undefined> {
    const raw = await this.kv.get(KV_KEYS.session(sessionId), 'json').catch((error: unknown) => {
      log('warn', 'session read failed', { session_id: sessionId, error });
      return null;
    });
    if (raw === null) return undefined;
    const parsed = sessionStateSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async put(sessionId: string, state: SessionState): Promise<void> {
    // The TTL restarts with every write: the session ends 30 minutes after its last event.
    await this.kv.put(KV_KEYS.session(sessionId), JSON.stringify(state), {
      expirationTtl: SESSION_TTL_SECONDS,
    });
  }
}
