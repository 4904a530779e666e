import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModelBundle } from '../../../local/model-server/bundle';
import { parseBundleUrl, readS3ModelBundle } from '../../../origin-lambdas/adapters/s3-model-bundle';

// No S3 runs here: this client answers GetObject from files, as S3 would hand back the bytes that
// `aws s3 cp` uploaded (docs/operations.md). Only the request shape and the parsing are under test.
function filesAsS3(objects: Record<string, string>) {
  const asked: string[] = [];
  const client = {
    send: async (command: GetObjectCommand) => {
      const { Bucket, Key } = command.input;
      asked.push(`${Bucket}/${Key}`);
      const path = objects[`${Bucket}/${Key}`];
      if (!path) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      const body = new Uint8Array(await readFile(path));
      return { Body: { transformToByteArray: async () => body } };
    },
  };
  return { client: client as never, asked };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-s3-bundle-'));
  await writeModelBundle(dir, 'v7', { featureNames: ['a', 'b'], weights: [1, -1], bias: 0.5 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readS3ModelBundle', () => {
  it('reads manifest.json and model.onnx under the prefix and validates the manifest', async () => {
    const { client, asked } = filesAsS3({
      'models/ranker/v7/manifest.json': join(dir, 'v7', 'manifest.json'),
      'models/ranker/v7/model.onnx': join(dir, 'v7', 'model.onnx'),
    });
    const bundle = await readS3ModelBundle('s3://models/ranker/v7', client);
    expect(bundle.manifest.version).toBe('v7');
    expect(bundle.manifest.feature_names).toEqual(['a', 'b']);
    expect(bundle.model).toEqual(new Uint8Array(await readFile(join(dir, 'v7', 'model.onnx'))));
    expect(asked.sort()).toEqual(['models/ranker/v7/manifest.json', 'models/ranker/v7/model.onnx']);
  });

  it("fails with S3's error when a file is missing", async () => {
    const { client } = filesAsS3({ 'models/ranker/v7/manifest.json': join(dir, 'v7', 'manifest.json') });
    await expect(readS3ModelBundle('s3://models/ranker/v7/', client)).rejects.toThrow('does not exist');
  });

  it('parses bundle URLs and refuses anything else', () => {
    expect(parseBundleUrl('s3://b/ranker/v1/')).toEqual({ bucket: 'b', prefix: 'ranker/v1/' });
    expect(parseBundleUrl('s3://b/ranker/v1')).toEqual({ bucket: 'b', prefix: 'ranker/v1/' });
    expect(parseBundleUrl('s3://b/')).toEqual({ bucket: 'b', prefix: '' });
    expect(() => parseBundleUrl('/opt/ranker')).toThrow('is not an s3://bucket/prefix/ URL');
  });
});
