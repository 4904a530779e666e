import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelManifest } from './bundle';

/**
 * What the serving side currently assembles and stores: the feature schema the origin sends,
 * and the embedding space (and dimension) of the vectors in the catalog and the vector index.
 * Unset parts are not checked.
 */
export const servingStateSchema = z.object({
  feature_names: z.array(z.string()).min(1).optional(),
  space_version: z.string().min(1).optional(),
  dimensions: z.number().int().min(1).optional(),
});

export type ServingState = z.infer<typeof servingStateSchema>;

/** File in the model directory where training records the space it wrote to the stores. */
export const SERVING_STATE_FILE = 'serving-state.json';

/** Raised when a bundle does not fit the serving state; the holder keeps the current model. */
export class BundleRefusedError extends Error {
  override readonly name = 'BundleRefusedError';
}

/**
 * Why `manifest` cannot serve under `state`, or undefined when it can. A bundle that declares no
 * embedding space is a ranker over features only and fits any space.
 */
export function incompatibility(manifest: ModelManifest, state: ServingState): string | undefined {
  const want = state.feature_names;
  const got = manifest.feature_names;
  if (want && (want.length !== got.length || want.some((n, i) => n !== got[i]))) {
    return `feature schema [${got.join(', ')}] differs from the served [${want.join(', ')}]`;
  }
  const e = manifest.embedding;
  if (!e) return undefined;
  if (state.space_version && e.space_version !== state.space_version) {
    return `embedding space ${e.space_version} differs from the served ${state.space_version}`;
  }
  if (state.dimensions && e.dimensions !== state.dimensions) {
    return `embedding dimension ${e.dimensions} differs from the served ${state.dimensions}`;
  }
  return undefined;
}

/** Reads `<modelDir>/serving-state.json`; an absent file means nothing is pinned. */
export async function readServingState(modelDir: string): Promise<ServingState> {
  try {
    return servingStateSchema.parse(JSON.parse(await readFile(join(modelDir, SERVING_STATE_FILE), 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}
