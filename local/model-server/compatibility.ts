import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelManifest } from './bundle';

/**
 * What the serving side currently assembles and stores: the features the origin sends (named; the
 * endpoint selects a model's declared columns by name, `shared/ranking/select-features.ts`),
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
 * Why `manifest` cannot serve under `state`, or undefined when it can. A bundle fits the served
 * features when it declares only features the origin sends (any subset, any order: columns are
 * picked by name), so a four-feature default and a ranker over more features both fit. A bundle
 * that declares no embedding space is a ranker over features only and fits any space.
 */
export function incompatibility(manifest: ModelManifest, state: ServingState): string | undefined {
  const want = state.feature_names;
  const got = manifest.feature_names;
  const missing = want ? got.filter((n) => !want.includes(n)) : [];
  if (missing.length) {
    return `feature schema [${got.join(', ')}] needs [${missing.join(', ')}], which the served [${want?.join(', ')}] lacks`;
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
