import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { LinearRankerSpec } from './linear-ranker';
import { writeLinearRankerOnnx } from './onnx-writer';

/**
 * On-disk layout of a model directory:
 *   <modelDir>/<version>/model.onnx
 *   <modelDir>/<version>/manifest.json
 *   <modelDir>/current.json            -> { "version": "<version>" }
 * The pointer is a small JSON file replaced by rename rather than a symlink: rename is atomic on
 * every platform, so a reader sees the old or the new version, never a half-written pointer.
 */
export const MODEL_FILE = 'model.onnx';
export const MANIFEST_FILE = 'manifest.json';
export const POINTER_FILE = 'current.json';

/**
 * The bundle manifest. `feature_names` is the ranker's feature schema, in input order. The
 * optional parts come from training: the embedding space the bundle's vectors live in, the
 * window of interactions it learned from, its offline metrics and the extra files it carries.
 * Bundles written before these existed (the default model) simply lack them.
 */
export const manifestSchema = z.object({
  version: z.string().regex(/^[A-Za-z0-9._-]+$/, 'version must be a safe directory name'),
  feature_names: z.array(z.string()).min(1),
  created_at: z.string(),
  kind: z.literal('linear-logistic'),
  embedding: z
    .object({
      dimensions: z.number().int().min(1),
      space_version: z.string().min(1),
      /** The ContentEncoder space the bundle's content vectors come from. */
      content_space_version: z.string().min(1).optional(),
    })
    .optional(),
  training_window: z
    .object({ from: z.string(), to: z.string(), interactions: z.number().int().min(0) })
    .optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  files: z.array(z.string()).optional(),
});

/** What training adds to a manifest beyond the ranker itself. */
export type ManifestExtras = Pick<ModelManifest, 'embedding' | 'training_window' | 'metrics' | 'files'>;

export type ModelManifest = z.infer<typeof manifestSchema>;

const pointerSchema = z.object({ version: manifestSchema.shape.version });

/** A bundle read back from disk: its manifest and the ONNX bytes. */
export interface ModelBundle {
  readonly manifest: ModelManifest;
  readonly model: Uint8Array;
}

/**
 * Writes `<modelDir>/<version>/{model.onnx,manifest.json}` and returns the manifest. Extra files
 * (embeddings) should be written into the version folder before, so the manifest comes last.
 */
export async function writeModelBundle(
  modelDir: string,
  version: string,
  spec: LinearRankerSpec,
  now: Date = new Date(),
  extras: ManifestExtras = {},
): Promise<ModelManifest> {
  const manifest = manifestSchema.parse({
    version,
    feature_names: [...spec.featureNames],
    created_at: now.toISOString(),
    kind: 'linear-logistic',
    ...extras,
  });
  const dir = join(modelDir, version);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MODEL_FILE), writeLinearRankerOnnx(spec));
  // Manifest last: a bundle without one is incomplete and never pointed at.
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads and validates `<modelDir>/<version>`. */
export async function readModelBundle(modelDir: string, version: string): Promise<ModelBundle> {
  const dir = join(modelDir, version);
  const manifest = manifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
  if (manifest.version !== version) {
    throw new Error(`bundle ${dir} declares version ${manifest.version}`);
  }
  return { manifest, model: new Uint8Array(await readFile(join(dir, MODEL_FILE))) };
}

/** Points `current.json` at `version` (write to a temp file, then rename over the pointer). */
export async function setCurrentVersion(modelDir: string, version: string): Promise<void> {
  const { version: v } = pointerSchema.parse({ version });
  const tmp = join(modelDir, `.${POINTER_FILE}.${randomUUID()}.tmp`);
  await writeFile(tmp, `${JSON.stringify({ version: v })}\n`);
  await rename(tmp, join(modelDir, POINTER_FILE));
}

/** The version `current.json` points at, or undefined when there is no pointer yet. */
export async function readCurrentVersion(modelDir: string): Promise<string | undefined> {
  try {
    return pointerSchema.parse(JSON.parse(await readFile(join(modelDir, POINTER_FILE), 'utf8'))).version;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes a bundle and makes it current in one step. */
export async function publishModel(
  modelDir: string,
  version: string,
  spec: LinearRankerSpec,
): Promise<ModelManifest> {
  const manifest = await writeModelBundle(modelDir, version, spec);
  await setCurrentVersion(modelDir, version);
  return manifest;
}
