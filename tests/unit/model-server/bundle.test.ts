import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  publishModel,
  readCurrentVersion,
  readModelBundle,
  setCurrentVersion,
  writeModelBundle,
} from '../../../local/model-server/bundle';
import {
  DEFAULT_LINEAR_RANKER,
  DEFAULT_MODEL_VERSION,
  ensureDefaultModel,
  writeLinearRankerOnnx,
} from '../../../local/model-server/default-model';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-models-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = { weights: [0.5, -1], bias: 0.25, featureNames: ['a', 'b'] };

describe('model bundles', () => {
  it('round-trips the manifest and the ONNX bytes', async () => {
    const written = await writeModelBundle(dir, 'v7', spec, new Date('2026-01-02T03:04:05.000Z'));
    const read = await readModelBundle(dir, 'v7');
    expect(read.manifest).toEqual({
      version: 'v7',
      feature_names: ['a', 'b'],
      created_at: '2026-01-02T03:04:05.000Z',
      kind: 'linear-logistic',
    });
    expect(read.manifest).toEqual(written);
    expect(read.model).toEqual(writeLinearRankerOnnx(spec));
  });

  it('rejects a version that is not a safe directory name', async () => {
    await expect(writeModelBundle(dir, '../escape', spec)).rejects.toThrow(/safe directory name/);
  });

  it('rejects a bundle whose manifest names another version', async () => {
    await writeModelBundle(dir, 'v1', spec);
    await writeModelBundle(dir, 'v2', spec);
    await rename(join(dir, 'v1', 'manifest.json'), join(dir, 'v2', 'manifest.json'));
    await expect(readModelBundle(dir, 'v2')).rejects.toThrow(/declares version v1/);
  });

  it('moves the current pointer by replacing current.json and leaves no temp files', async () => {
    expect(await readCurrentVersion(dir)).toBeUndefined();
    await publishModel(dir, 'v1', spec);
    await setCurrentVersion(dir, 'v2');
    expect(await readCurrentVersion(dir)).toBe('v2');
    expect(JSON.parse(await readFile(join(dir, 'current.json'), 'utf8'))).toEqual({ version: 'v2' });
    expect((await readdir(dir)).sort()).toEqual(['current.json', 'v1']);
  });
});

describe('ensureDefaultModel', () => {
  it('writes the default bundle and points at it when the directory is empty', async () => {
    const manifest = await ensureDefaultModel(dir);
    expect(manifest.version).toBe(DEFAULT_MODEL_VERSION);
    expect(manifest.feature_names).toEqual(DEFAULT_LINEAR_RANKER.featureNames);
    expect(await readCurrentVersion(dir)).toBe(DEFAULT_MODEL_VERSION);
    expect((await readModelBundle(dir, DEFAULT_MODEL_VERSION)).model).toEqual(
      writeLinearRankerOnnx(DEFAULT_LINEAR_RANKER),
    );
  });

  it('keeps an existing current model', async () => {
    await publishModel(dir, 'custom-3', spec);
    const manifest = await ensureDefaultModel(dir);
    expect(manifest.version).toBe('custom-3');
    expect(await readdir(dir)).not.toContain(DEFAULT_MODEL_VERSION);
  });

  it('repairs a pointer to a bundle that does not exist', async () => {
    await setCurrentVersion(dir, 'gone');
    expect((await ensureDefaultModel(dir)).version).toBe(DEFAULT_MODEL_VERSION);
    expect(await readCurrentVersion(dir)).toBe(DEFAULT_MODEL_VERSION);
  });
});
