/**
 * Embeddings are stored as little-endian float32 bytes: a 32-d vector is 128 bytes instead of
 * a DynamoDB number list several times that size, and reads decode without parsing strings.
 */
export function encodeVector(v: readonly number[] | Float32Array): Uint8Array {
  const f = v instanceof Float32Array ? v : Float32Array.from(v);
  return new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength));
}

export function decodeVector(bytes: Uint8Array | undefined): number[] {
  if (!bytes || bytes.byteLength === 0) return [];
  const copy = bytes.slice();
  return Array.from(new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4));
}
