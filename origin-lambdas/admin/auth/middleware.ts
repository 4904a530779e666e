import type { Context } from 'hono';
import { ClientError } from '../../common/errors';
import type { AdminEnv } from '../http/env';
import { keyDigest, parseKey, verifySecret } from './keys';
import { type Role, roleAllows } from './roles';
import type { ApiKeyStore } from './store';

const unauthorized = (detail: string) => new ClientError(401, 'Unauthorized', detail);

/**
 * Authenticates `x-api-key` (or `Authorization: Bearer`) and checks the route's role. The
 * record is read on every request, so revocation and expiry apply at once; only the slow
 * scrypt check is cached, by digest of the presented key.
 */
export function createGuard(store: ApiKeyStore, now: () => number = Date.now) {
  const verified = new Map<string, string>();
  return (required: Role) => async (c: Context<AdminEnv>, next: () => Promise<void>) => {
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    const presented = c.req.header('x-api-key') ?? bearer;
    if (!presented) throw unauthorized('send an API key in x-api-key');
    const parsed = parseKey(presented);
    if (!parsed) throw unauthorized('malformed API key');
    const record = await store.get(parsed.keyId);
    if (!record) throw unauthorized('unknown API key');
    if (record.revoked_at) throw unauthorized('API key revoked');
    if (record.expires_at !== undefined && record.expires_at * 1000 <= now())
      throw unauthorized('API key expired');
    const digest = keyDigest(presented);
    if (verified.get(digest) !== record.key_id) {
      if (!(await verifySecret(parsed.secret, record))) throw unauthorized('unknown API key');
      if (verified.size > 1000) verified.clear();
      verified.set(digest, record.key_id);
    }
    if (!roleAllows(record.role, required))
      throw new ClientError(403, 'Forbidden', `requires role ${required}; this key has ${record.role}`);
    c.set('principal', { keyId: record.key_id, role: record.role });
    await next();
  };
}
