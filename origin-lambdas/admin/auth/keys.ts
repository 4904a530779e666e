import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: ~50 ms per verification, so guessing is slow; verified keys are cached by digest. */
export const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

export interface KeyHash {
  readonly salt: string;
  readonly hash: string;
}

/** A freshly minted key: `plaintext` is shown to its owner once and never stored. */
export interface MintedKey {
  readonly keyId: string;
  readonly plaintext: string;
  readonly secret: string;
}

const KEY_PATTERN = /^attune_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** Mints `attune_<key id>_<secret>`; the id finds the record, the secret proves possession. */
export function mintKey(): MintedKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, plaintext: `attune_${keyId}_${secret}` };
}

/** Splits a presented key into id and secret, or undefined if it is not shaped like one. */
export function parseKey(presented: string): { keyId: string; secret: string } | undefined {
  const m = KEY_PATTERN.exec(presented.trim());
  return m ? { keyId: m[1] as string, secret: m[2] as string } : undefined;
}

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a secret with a fresh per-key salt. */
export async function hashSecret(secret: string): Promise<KeyHash> {
  const salt = randomBytes(16);
  return { salt: salt.toString('base64'), hash: (await derive(secret, salt)).toString('base64') };
}

/** Constant-time comparison of a presented secret against the stored hash. */
export async function verifySecret(secret: string, stored: KeyHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(secret, Buffer.from(stored.salt, 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A fast digest of a presented key, used only as an in-memory cache key after scrypt succeeded. */
export const keyDigest = (presented: string) => createHash('sha256').update(presented).digest('hex');
