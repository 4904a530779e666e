/**
 * Base64url for event digests, 9 bytes as 12 characters, without a Buffer per digest: a user row's
 * 100 digests are turned into text on every read and back into bytes on every write. Same text as
 * Node's `base64url`; like Node's decoder, it also takes the standard alphabet's `+` and `/`.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const VALUE = new Int8Array(128).fill(-1);
for (const [i, code] of CODE.entries()) VALUE[code] = i;
VALUE[0x2b] = 62; // '+'
VALUE[0x2f] = 63; // '/'

/** Characters of one digest's text. */
export const DIGEST_TEXT_LENGTH = 12;

const sextet = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c < 128 ? (VALUE[c] as number) : -1;
};

/** The 12-character text of the 9 bytes of `bytes` from `at`. */
export function digestText(bytes: Uint8Array, at: number): string {
  const c = CODE;
  const a = ((bytes[at] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at + 2] as number);
  const b = ((bytes[at + 3] as number) << 16) | ((bytes[at + 4] as number) << 8) | (bytes[at + 5] as number);
  const d = ((bytes[at + 6] as number) << 16) | ((bytes[at + 7] as number) << 8) | (bytes[at + 8] as number);
  return String.fromCharCode(
    c[a >> 18] as number,
    c[(a >> 12) & 63] as number,
    c[(a >> 6) & 63] as number,
    c[a & 63] as number,
    c[b >> 18] as number,
    c[(b >> 12) & 63] as number,
    c[(b >> 6) & 63] as number,
    c[b & 63] as number,
    c[d >> 18] as number,
    c[(d >> 12) & 63] as number,
    c[(d >> 6) & 63] as number,
    c[d & 63] as number,
  );
}

/**
 * Writes the 9 bytes `text` spells into `out` from `at`. False, with `out` partly written, when
 * `text` is not 12 base64url characters.
 */
export function writeDigestText(text: string, out: Uint8Array, at: number): boolean {
  if (text.length !== DIGEST_TEXT_LENGTH) return false;
  for (let i = 0, o = at; i < DIGEST_TEXT_LENGTH; i += 4, o += 3) {
    const w = sextet(text, i);
    const x = sextet(text, i + 1);
    const y = sextet(text, i + 2);
    const z = sextet(text, i + 3);
    if ((w | x | y | z) < 0) return false;
    const n = (w << 18) | (x << 12) | (y << 6) | z;
    out[o] = n >> 16;
    out[o + 1] = (n >> 8) & 255;
    out[o + 2] = n & 255;
  }
  return true;
}
