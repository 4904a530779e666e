import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LinearRankerSpec,
  publishModel,
  type RunningModelServer,
  SERVING_STATE_FILE,
  scoreLinear,
  startModelServer,
  VariantPool,
  writeModelBundle,
} from '../../local/model-server/index';
import { runModel } from '../../local/model-server/loaded-model';
import { freePort } from '../../local/net/free-port';
import { SageMakerModelEndpoint } from '../../origin-lambdas/adapters/sagemaker-model-endpoint';
import { createSageMakerRuntimeClient } from '../../origin-lambdas/common/aws-clients';
import { ModelVersionRefusedError } from '../../shared/ports/model-endpoint';
import { rankerVariantName } from '../../shared/ranking/model-variant';
import { DEFAULT_FEATURES, type RankingRequest } from '../../shared/schemas/ranking';

const names = [...DEFAULT_FEATURES];
const CURRENT: LinearRankerSpec = { featureNames: names, weights: [1, 0.5, 2, 1.5], bias: -2 };
const TREATMENT: LinearRankerSpec = { featureNames: names, weights: [-1, 3, 0.2, -0.7], bias: 0.4 };
const OTHER: LinearRankerSpec = { featureNames: names, weights: [0.3, 0.3, 0.3, 0.3], bias: -0.1 };
// A bundle over another feature schema: the compatibility check refuses it once the schema is pinned.
const WIDE: LinearRankerSpec = { featureNames: [...names, 'ctr'], weights: [1, 1, 1, 1, 1], bias: 0 };
// Generous budget: this suite checks behaviour, not latency, on a shared 2-core machine.
const TIMEOUT_MS = 3000;

const request: RankingRequest = {
  feature_names: names,
  rows: 3,
  features: [0.1, 0.9, 0.2, 0.3, 0.5, 0.5, 0.5, 0.5, 0.9, 0.1, 0.8, 0.0],
};

function expectScores(got: number[], spec: LinearRankerSpec): void {
  const want = scoreLinear(spec.weights, spec.bias, request.features, request.rows);
  expect(got).toHaveLength(request.rows);
  got.forEach((s, i) => {
    expect(Math.abs(s - (want[i] as number))).toBeLessThan(1e-5);
  });
}

let modelDir: string;
let server: RunningModelServer;
let client: SageMakerRuntimeClient;
let endpoint: SageMakerModelEndpoint;

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'attune-variants-'));
  await writeModelBundle(modelDir, 'exp.v2', TREATMENT);
  await writeModelBundle(modelDir, 'other-v3', OTHER);
  await writeModelBundle(modelDir, 'wide-v4', WIDE);
  await publishModel(modelDir, 'prod-v1', CURRENT);
  await writeFile(join(modelDir, SERVING_STATE_FILE), JSON.stringify({ feature_names: names }));
  server = await startModelServer({ port: await freePort(), modelDir, watch: false });
  client = createSageMakerRuntimeClient({ endpoint: server.url });
  endpoint = new SageMakerModelEndpoint({ client, endpointName: 'attune-ranker', timeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(modelDir, { recursive: true, force: true });
});

/** One raw SDK call, so the test sees exactly what the SDK sends and parses. */
async function invoke(targetVariant?: string) {
  const out = await client.send(
    new InvokeEndpointCommand({
      EndpointName: 'attune-ranker',
      ContentType: 'application/json',
      Accept: 'application/json',
      Body: new TextEncoder().encode(JSON.stringify(request)),
      ...(targetVariant ? { TargetVariant: targetVariant } : {}),
    }),
  );
  const body = JSON.parse(new TextDecoder().decode(out.Body)) as { scores: number[]; model_version: string };
  return { variant: out.InvokedProductionVariant, ...body };
}

async function sdkError(targetVariant: string) {
  const err = (await invoke(targetVariant).catch((e: unknown) => e)) as {
    name: string;
    message: string;
    $metadata: { httpStatusCode?: number };
  };
  expect(err).toBeInstanceOf(Error);
  return err;
}

describe('the local model server honours TargetVariant like a SageMaker endpoint', () => {
  it('serves the current model without a target, as AllTraffic', async () => {
    const out = await invoke();
    expect(out).toMatchObject({ variant: 'AllTraffic', model_version: 'prod-v1' });
    expectScores(out.scores, CURRENT);
  });

  it("scores a targeted registry version with that version's model, answering its variant name", async () => {
    const variant = rankerVariantName('exp.v2');
    expect(variant).toMatch(/^exp-v2-[0-9a-f]{8}$/);

    const out = await invoke(variant);

    expect(out).toMatchObject({ variant, model_version: 'exp.v2' });
    expectScores(out.scores, TREATMENT);
    // The current model is untouched by the variant's load.
    expect((await invoke()).model_version).toBe('prod-v1');
  });

  it('serves the current version when targeted by its own variant name', async () => {
    const out = await invoke('prod-v1');
    expect(out).toMatchObject({ variant: 'prod-v1', model_version: 'prod-v1' });
    expectScores(out.scores, CURRENT);
  });

  it('answers an unknown variant with a 400 ValidationError naming it', async () => {
    const err = await sdkError('no-such-model');
    expect(err.name).toBe('ValidationError');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/variant 'no-such-model' is not a production variant of this endpoint/);
  });

  it('answers a bundle the compatibility check refuses with a 400 ValidationError and the reason', async () => {
    const err = await sdkError('wide-v4');
    expect(err.name).toBe('ValidationError');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/variant 'wide-v4' \(model wide-v4\) refused: feature schema/);
  });

  it('SageMakerModelEndpoint targets a version by name and reports the version that scored', async () => {
    const res = await endpoint.rank(request, { modelVersion: 'other-v3' });
    expect(res.model_version).toBe('other-v3');
    expectScores(res.scores, OTHER);
  });

  it('SageMakerModelEndpoint turns a refused version into ModelVersionRefusedError', async () => {
    const err = await endpoint.rank(request, { modelVersion: 'v404' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelVersionRefusedError);
    expect((err as ModelVersionRefusedError).modelVersion).toBe('v404');
    expect((err as Error).message).toMatch(/refused variant v404 \(model v404\).*answered 400/);
  });
});

describe('VariantPool', () => {
  it('keeps at most `capacity` versions loaded, least recently used out first, loading again on demand', async () => {
    const pool = new VariantPool(modelDir, async () => ({}), 2);
    const score = (variant: string) =>
      pool.use(variant, async (m) => ({
        version: m.manifest.version,
        scores: await runModel(m, Float32Array.from(request.features), request.rows),
      }));
    try {
      expect((await score(rankerVariantName('exp.v2'))).version).toBe('exp.v2');
      expect((await score('other-v3')).version).toBe('other-v3');
      expect((await score(rankerVariantName('exp.v2'))).version).toBe('exp.v2');
      expect(pool.loaded).toEqual(['other-v3', rankerVariantName('exp.v2')]);

      const wide = await pool.use('wide-v4', async (m) => m.manifest.feature_names.length);

      expect(wide).toBe(5);
      expect(pool.loaded).toEqual([rankerVariantName('exp.v2'), 'wide-v4']);
      const again = await score('other-v3');
      expect(again.version).toBe('other-v3');
      expectScores(again.scores, OTHER);
      expect(pool.loaded).toEqual(['wide-v4', 'other-v3']);
    } finally {
      await pool.close();
    }
    expect(pool.loaded).toEqual([]);
  });
});
