import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishModel } from '../../../../local/model-server/bundle';
import { scoreLinear } from '../../../../local/model-server/linear-ranker';
import { OnnxCpuModelEndpoint } from '../../../../origin-lambdas/adapters/onnx-cpu-model-endpoint';
import { loadOriginConfig } from '../../../../origin-lambdas/common/config';
import { createResilientRanker } from '../../../../origin-lambdas/recommend/ranking/from-config';
import type { ModelEndpoint } from '../../../../shared/ports/model-endpoint';

const spec = { featureNames: ['popularity', 'affinity'], weights: [0.8, 1.6], bias: -1 };
const down: ModelEndpoint = {
  rank: async () => {
    throw new Error('endpoint down');
  },
  health: async () => ({ ok: false, detail: 'down' }),
};
const request = { feature_names: ['affinity', 'popularity'], rows: 2, features: [0.2, 0.9, 0.6, 0.1] };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-ranker-config-'));
  await publishModel(dir, 'cfg-v1', spec);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createResilientRanker', () => {
  it('reads the breaker and fallback settings with their defaults', () => {
    expect(loadOriginConfig({})).toMatchObject({
      MODEL_BREAKER_FAILURES: 5,
      MODEL_BREAKER_COOLDOWN_MS: 10_000,
      FALLBACK_MODEL_TIMEOUT_MS: 500,
    });
    expect(loadOriginConfig({}).FALLBACK_MODEL_PATH).toBeUndefined();
    expect(() => loadOriginConfig({ MODEL_BREAKER_FAILURES: '0' })).toThrow(/MODEL_BREAKER_FAILURES/);
  });

  it('scores on the CPU from FALLBACK_MODEL_PATH when the endpoint fails', async () => {
    const ranker = createResilientRanker(
      loadOriginConfig({ FALLBACK_MODEL_PATH: dir }),
      down,
      (path) => new OnnxCpuModelEndpoint({ path }),
    );
    const out = await ranker.rank(request);
    expect(out).toMatchObject({ scorer: 'cpu-fallback', model_version: 'cfg-v1+cpu', replaced: 0 });
    const want = scoreLinear(spec.weights, spec.bias, [0.9, 0.2, 0.1, 0.6], 2);
    out.scores.forEach((s, i) => {
      expect(Math.abs(s - (want[i] as number))).toBeLessThan(1e-6);
    });
  });

  it('goes straight to the popularity heuristic without a fallback path', async () => {
    const ranker = createResilientRanker(loadOriginConfig({ MODEL_BREAKER_FAILURES: '1' }), down);
    expect(await ranker.rank(request)).toEqual({
      scores: [0.9, 0.1],
      model_version: 'popularity-fallback',
      scorer: 'heuristic',
      replaced: 0,
    });
    expect(ranker.breakerState).toBe('open');
  });
});
