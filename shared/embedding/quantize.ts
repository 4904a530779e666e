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
// Scratch for the float32 scale: four bytes in, one float out, no allocation per vector.
const SCALE_BYTES = new Uint8Array(4);
const SCALE = new Float32Array(SCALE_BYTES.buffer);

/**
 * The vector back from {@link quantizeVector}; an empty array when `text` is not one (a corrupt
 * vector must cost its candidate the session similarity, not fail the request). Decodes base64
 * by table straight into the numbers: `atob` plus a byte loop cost five times as much, and the
 * edge decodes two hundred of these per request.
 */
export function dequantizeVector(text: string): number[] {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--; // '=' padding
  const byteCount = Math.floor((end * 6) / 8);
  if (byteCount < 4 || end % 4 === 1) return [];
  const out = new Array<number>(byteCount - 4);
  let acc = 0;
  let bits = 0;
  let index = 0;
  let scale = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (SEXTET[code] as number) : -1;
    if (v < 0) return [];
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits < 8) continue;
    bits -= 8;
    const byte = (acc >> bits) & 0xff;
    if (index < 4) {
      SCALE_BYTES[index] = byte;
      if (index === 3) {
        scale = SCALE[0] as number;
        if (!Number.isFinite(scale)) return [];
      }
    } else out[index - 4] = ((byte > 127 ? byte - 256 : byte) / 127) * scale;
    index++;
  }
  return out;
}
