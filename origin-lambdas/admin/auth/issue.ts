import { hashSecret, mintKey } from './keys';
import type { Role } from './roles';
import type { ApiKeyRecord, ApiKeyStore } from './store';

export interface IssueKeyInput {
  readonly role: Role;
  readonly name: string;
  /** Days until the key stops working; absent keys do not expire. */
  readonly expiresInDays?: number;
  readonly createdBy: string;
  readonly now?: Date;
}

/** Creates a key and stores only its hash; the plaintext in the result is the only copy. */
export async function issueKey(
  store: ApiKeyStore,
  input: IssueKeyInput,
): Promise<{ record: ApiKeyRecord; plaintext: string }> {
  const now = input.now ?? new Date();
  const minted = mintKey();
  const record: ApiKeyRecord = {
    key_id: minted.keyId,
    name: input.name,
    role: input.role,
    ...(await hashSecret(minted.secret)),
    created_at: now.toISOString(),
    created_by: input.createdBy,
    ...(input.expiresInDays
      ? { expires_at: Math.floor(now.getTime() / 1000) + Math.round(input.expiresInDays * 86_400) }
      : {}),
  };
  await store.put(record);
  return { record, plaintext: minted.plaintext };
}

/** A key as the API shows it: no salt, no hash. */
export function publicKey(r: ApiKeyRecord) {
  return {
    key_id: r.key_id,
    name: r.name,
    role: r.role,
    created_at: r.created_at,
    created_by: r.created_by,
    ...(r.expires_at ? { expires_at: new Date(r.expires_at * 1000).toISOString() } : {}),
    ...(r.revoked_at ? { revoked_at: r.revoked_at } : {}),
  };
}
