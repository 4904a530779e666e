import { readFile, writeFile } from 'node:fs/promises';

/**
 * Writes vectors as `<path>.f32` (little-endian float32, row-major) and `<path>.ids.json`
 * (`{ "dimensions": k, "ids": [...] }`); returns the two file names written.
 */
export async function writeEmbeddings(
  path: string,
  ids: readonly string[],
  vectors: ArrayLike<number>,
  dimensions: number,
): Promise<string[]> {
  if (vectors.length !== ids.length * dimensions)
    throw new RangeError(`${vectors.length} values for ${ids.length} x ${dimensions}`);
  const f32 = Float32Array.from(vectors);
  await writeFile(`${path}.f32`, new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength));
  await writeFile(`${path}.ids.json`, JSON.stringify({ dimensions, ids }));
  return [`${path}.f32`, `${path}.ids.json`];
}

/** Reads vectors written by `writeEmbeddings`. */
export async function readEmbeddings(
  path: string,
): Promise<{ ids: string[]; dimensions: number; vectors: Float32Array }> {
  const meta = JSON.parse(await readFile(`${path}.ids.json`, 'utf8')) as {
    dimensions: number;
    ids: string[];
  };
  const buf = await readFile(`${path}.f32`);
  const vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return { ids: meta.ids, dimensions: meta.dimensions, vectors };
}
