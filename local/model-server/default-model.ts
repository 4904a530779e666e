import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MANIFEST_FILE,
  type ModelManifest,
  publishModel,
  readCurrentVersion,
  readModelBundle,
  writeModelBundle,
} from './bundle';
import { DEFAULT_LINEAR_RANKER } from './linear-ranker';

export { DEFAULT_LINEAR_RANKER, type LinearRankerSpec, scoreLinear } from './linear-ranker';
export { writeLinearRankerOnnx } from './onnx-writer';

/** Version name of the bundle `ensureDefaultModel` writes. */
export const DEFAULT_MODEL_VERSION = 'linear-default-v1';

/**
 * Makes sure `modelDir` has a current model: when `current.json` is missing or points at a
 * bundle without a manifest, writes the default ranker as `<modelDir>/linear-default-v1/` and
 * points at it. An existing, valid current bundle is left alone. Returns the current manifest.
 */
export async function ensureDefaultModel(modelDir: string): Promise<ModelManifest> {
  const version = await readCurrentVersion(modelDir);
  if (version && (await exists(join(modelDir, version, MANIFEST_FILE)))) {
    return (await readModelBundle(modelDir, version)).manifest;
  }
  return publishModel(modelDir, DEFAULT_MODEL_VERSION, DEFAULT_LINEAR_RANKER);
}

/** Writes the default bundle's folder when missing, without touching the pointer. */
export async function ensureDefaultBundle(modelDir: string): Promise<void> {
  if (await exists(join(modelDir, DEFAULT_MODEL_VERSION, MANIFEST_FILE))) return;
  await writeModelBundle(modelDir, DEFAULT_MODEL_VERSION, DEFAULT_LINEAR_RANKER);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
