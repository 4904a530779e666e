import { cosineFromSums } from '../vector-math';

/**
 * A vector as 4 bytes of float32 scale (its largest magnitude) and one int8 per component,
 * base64-encoded: 48 characters for 32 dimensions instead of about 260 as JSON numbers. The edge
 * parses a few hundred of these on every cache hit, and JSON number parsing was most of its CPU.
 * Error per component is at most scale/254, far below what changes a session-similarity ranking.
 */
export function quantizeVector(v: readonly number[]): string {
  let scale = 0;
  for (const x of v) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  const bytes = new Uint8Array(4 + v.length);
  new DataView(bytes.buffer).setFloat32(0, scale, true);
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    const q = scale > 0 && Number.isFinite(x) ? Math.round((x / scale) * 127) : 0;
    bytes[4 + i] = q & 0xff;
  }
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTET = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;
// Scratch for one decoded vector: the float32 scale's four bytes, then the int8 components. The
// edge decodes two hundred of these per request, so none of them allocates.
const SCRATCH = new Uint8Array(4 + 1050);
const SCALE = new Float32Array(SCRATCH.buffer, 0, 1);
const COMPONENTS = new Int8Array(SCRATCH.buffer, 4);

/**
 * Decodes `text` into the scratch buffers by table (`atob` plus a byte loop cost five times as
 * much). Returns the number of components, or -1 when `text` is not a quantized vector.
 */
function decodeToScratch(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--; // '=' padding
  const byteCount = Math.floor((end * 6) / 8);
  if (byteCount < 4 || byteCount > SCRATCH.length || end % 4 === 1) return -1;
  let acc = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (SEXTET[code] as number) : -1;
    if (v < 0) return -1;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits < 8) continue;
    bits -= 8;
    SCRATCH[index++] = (acc >> bits) & 0xff;
  }
  return Number.isFinite(SCALE[0]) ? byteCount - 4 : -1;
}

/**
 * The vector back from {@link quantizeVector}; an empty array when `text` is not one (a corrupt
 * vector must cost its candidate the session similarity, not fail the request).
 */
export function dequantizeVector(text: string): number[] {
  const n = decodeToScratch(text);
  if (n < 0) return [];
  const scale = SCALE[0] as number;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = ((COMPONENTS[i] as number) / 127) * scale;
  return out;
}

/**
 * Cosine similarity of `query` and a quantized vector, without decoding it to numbers: the
 * scale cancels out of a cosine, so the int8 components are enough. 0 for a corrupt or zero
 * vector, as `cosine` gives. Why: the edge needs only this similarity for most surfaces, and
 * materializing two hundred arrays per request was a third of its page-building time.
 */
export function quantizedCosine(query: ArrayLike<number>, text: string): number {
  const count = decodeToScratch(text);
  // A scale that float32 rounds to 0 makes the decoded vector zero, whatever the components say.
  if (count <= 0 || SCALE[0] === 0) return 0;
  const n = Math.min(count, query.length);
  let dot = 0;
  let nq = 0;
  let nv = 0;
  for (let i = 0; i < n; i++) {
    const x = query[i] as number;
    const y = COMPONENTS[i] as number;
    dot += x * y;
    nq += x * x;
    nv += y * y;
  }
  return cosineFromSums(dot, nq, nv);
}
