import { describe, expect, it } from 'vitest';
import { hashSecret, mintKey, parseKey, verifySecret } from '../../../origin-lambdas/admin/auth/keys';
import { roleAllows } from '../../../origin-lambdas/admin/auth/roles';

describe('API key hashing', () => {
  it('verifies the minted secret and nothing else', async () => {
    const key = mintKey();
    const parsed = parseKey(key.plaintext);
    expect(parsed).toEqual({ keyId: key.keyId, secret: key.secret });
    const stored = await hashSecret(key.secret);
    expect(stored.hash).not.toContain(key.secret);
    expect(await verifySecret(key.secret, stored)).toBe(true);
    expect(await verifySecret(`${key.secret.slice(0, -1)}x`, stored)).toBe(false);
  });

  it('salts each hash', async () => {
    const a = await hashSecret('same-secret');
    const b = await hashSecret('same-secret');
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('rejects keys that are not shaped like ours', () => {
    expect(parseKey('attune_zz_abc')).toBeUndefined();
    expect(parseKey('')).toBeUndefined();
  });

  it('orders roles viewer < analyst < marketer < admin', () => {
    expect(roleAllows('admin', 'marketer')).toBe(true);
    expect(roleAllows('marketer', 'analyst')).toBe(true);
    expect(roleAllows('analyst', 'marketer')).toBe(false);
    expect(roleAllows('viewer', 'analyst')).toBe(false);
  });
});
