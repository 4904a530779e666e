import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishModel, readModelBundle, writeModelBundle } from '../../../../local/model-server/bundle';
import { scoreLinear } from '../../../../local/model-server/linear-ranker';
import { CpuModelEndpoint } from '../../../../origin-lambdas/adapters/cpu-model-endpoint';
import {
  CPU_VERSION_SUFFIX,
  OnnxCpuModelEndpoint,
} from '../../../../origin-lambdas/adapters/onnx-cpu-model-endpoint';
import { portableEngine } from '../../../../origin-lambdas/adapters/portable-engine';
import { FeatureSchemaError } from '../../../../shared/ranking/select-features';

const spec = { featureNames: ['a', 'b'], weights: [1.5, -2], bias: 0.25 };
const spec2 = { featureNames: ['b', 'c'], weights: [0.5, 1], bias: -1 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-cpu-'));
  await writeModelBundle(dir, 'v1', spec);
  await publishModel(dir, 'v2', spec2);
  // A bundle folder shipped under another name, as a Lambda layer would carry it.
  await cp(join(dir, 'v1'), join(dir, 'shipped'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scoresOf(path: string, feature_names: string[], features: number[]) {
  const ep = new OnnxCpuModelEndpoint({ path });
  try {
    return await ep.rank({ feature_names, rows: features.length / feature_names.length, features });
  } finally {
    await ep.close();
  }
}

function expectClose(got: number[], want: number[]) {
  expect(got).toHaveLength(want.length);
  got.forEach((s, i) => {
    expect(Math.abs(s - (want[i] as number))).toBeLessThan(1e-6);
  });
}

describe('OnnxCpuModelEndpoint', () => {
  it('loads the current bundle of a model directory and reports its version with +cpu', async () => {
    const res = await scoresOf(dir, ['c', 'b'], [1, 2, 0, 0.5]);
    expect(res.model_version).toBe(`v2${CPU_VERSION_SUFFIX}`);
    expectClose(res.scores, scoreLinear(spec2.weights, spec2.bias, [2, 1, 0.5, 0], 2));
  });

  it('loads a bundle folder, its model.onnx or its manifest.json, even under another name', async () => {
    const want = scoreLinear(spec.weights, spec.bias, [0.3, 0.7], 1);
    for (const path of [
      join(dir, 'v1'),
      join(dir, 'v1', 'model.onnx'),
      join(dir, 'shipped', 'manifest.json'),
    ]) {
      const res = await scoresOf(path, ['x', 'b', 'a'], [9, 0.7, 0.3]);
      expect(res.model_version).toBe('v1+cpu');
      expectClose(res.scores, want);
    }
  });

  it('rejects a request lacking a declared feature with a FeatureSchemaError naming it', async () => {
    const err = await scoresOf(dir, ['b'], [1]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeatureSchemaError);
    expect((err as FeatureSchemaError).failure.missing).toEqual(['c']);
  });

  it('reports an unloadable path through health() and retries the load later', async () => {
    const missing = join(dir, 'later');
    const ep = new OnnxCpuModelEndpoint({ path: missing });
    const before = await ep.health();
    expect(before.ok).toBe(false);
    expect(before.detail).toMatch(/^model not loaded: .*ENOENT/);
    await cp(join(dir, 'v1'), missing, { recursive: true });
    expect(await ep.health()).toEqual({ ok: true, detail: 'model v1+cpu in-process' });
    await ep.close();
  });

  it('scores the same bundle with the portable engine as with onnxruntime, from any reader', async () => {
    const request = { feature_names: ['c', 'b', 'a'], rows: 3, features: [1, 2, 0, 0, 0.5, 3, -1, 4, 2] };
    const native = new OnnxCpuModelEndpoint({ path: dir });
    const reads: string[] = [];
    const portable = new CpuModelEndpoint({
      path: 'memory://v2',
      engine: portableEngine,
      read: async () => {
        reads.push('read');
        return readModelBundle(dir, 'v2');
      },
    });
    try {
      const want = await native.rank(request);
      const got = await portable.rank(request);
      expect(got.model_version).toBe(`v2${CPU_VERSION_SUFFIX}`);
      expectClose(got.scores, want.scores);
      expectClose(got.scores, scoreLinear(spec2.weights, spec2.bias, [2, 1, 0.5, 0, 4, -1], 3));
      await portable.rank(request);
      expect(reads).toEqual(['read']);
    } finally {
      await native.close();
      await portable.close();
    }
  });
});
