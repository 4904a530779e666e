import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningModelServer,
  readCurrentVersion,
  scoreLinear,
  setCurrentVersion,
  startModelServer,
} from '../../local/model-server/index';
import { freePort } from '../../local/net/free-port';
import { type BuiltBundle, buildBundle } from '../../local/training/build-bundle';
import { readEmbeddings } from '../../local/training/embedding-files';
import { publishBundle } from '../../local/training/publish';
import { rollbackBundle } from '../../local/training/rollback';
import { syntheticDataset } from '../../local/training/synthetic';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { ExactVectorIndex } from '../../origin-lambdas/adapters/vector/exact-index';
import { createSageMakerRuntimeClient } from '../../origin-lambdas/common/aws-clients';
import { HashedNgramEncoder } from '../../shared/embedding/hashed-encoder';
import { seededRandom } from '../../shared/random';
import { RANKER_FEATURES } from '../../shared/schemas/ranking';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

let dynamo: TestDynamo;
let modelDir: string;
let server: RunningModelServer;
let client: SageMakerRuntimeClient;
let catalog: DynamoItemCatalog;
let index: ExactVectorIndex;
let first: BuiltBundle;
let other: BuiltBundle;
const data = syntheticDataset({ users: 40, perUser: 12 });
const encoder = new HashedNgramEncoder(16);

beforeAll(async () => {
  dynamo = await startTestDynamo();
  catalog = new DynamoItemCatalog(DynamoDBDocumentClient.from(dynamo.client), dynamo.prefix);
  modelDir = await mkdtemp(join(tmpdir(), 'attune-training-'));
  first = await buildBundle({
    ...data,
    meta: data.items,
    encoder,
    modelDir,
    version: 'v1',
    training: { als: { factors: 8, iterations: 4 } },
    now: new Date('2026-01-01T00:00:00Z'),
  });
  index = new ExactVectorIndex(8);
  await publishBundle({ modelDir, manifest: first.manifest, items: first.items, catalog, index });
  server = await startModelServer({ port: await freePort(), modelDir, watch: false });
  client = createSageMakerRuntimeClient({ endpoint: server.url });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await dynamo?.stop();
  if (modelDir) await rm(modelDir, { recursive: true, force: true });
});

async function invoke(
  rows: number,
  features: number[],
): Promise<{ scores: number[]; model_version: string }> {
  const out = await client.send(
    new InvokeEndpointCommand({
      EndpointName: 'attune-ranker',
      ContentType: 'application/json',
      Body: new TextEncoder().encode(JSON.stringify({ feature_names: [...RANKER_FEATURES], rows, features })),
    }),
  );
  return JSON.parse(new TextDecoder().decode(out.Body));
}

const reload = async () => fetch(`${server.url}/reload`, { method: 'POST' });
const ping = async () => (await (await fetch(`${server.url}/ping`)).json()) as { model_version: string };

describe('training bundle', () => {
  it('carries a manifest with version, space, feature schema, window and metrics', () => {
    const m = first.manifest;
    expect(m.version).toBe('v1');
    expect(m.feature_names).toEqual([...RANKER_FEATURES]);
    expect(m.embedding).toEqual({
      dimensions: 8,
      space_version: 'attune-cf-v1-d8',
      content_space_version: encoder.spaceVersion,
    });
    expect(m.training_window?.interactions).toBe(data.interactions.length);
    expect(m.metrics?.items).toBe(48);
    expect(m.files).toContain('items.f32');
  });

  it('writes serving embeddings to DynamoDB and the vector index, user embeddings as unit vectors', async () => {
    const stored = await catalog.getItems(['m0', 'm13']);
    const saved = await readEmbeddings(join(modelDir, 'v1', 'items'));
    const row = saved.ids.indexOf('m13');
    const byId = new Map(stored.map((i) => [i.item_id, i]));
    const m13 = byId.get('m13');
    expect(m13?.embedding).toHaveLength(8);
    m13?.embedding.forEach((x, d) => {
      expect(x).toBeCloseTo(saved.vectors[row * 8 + d] as number, 5);
    });
    expect(await index.size()).toBe(48);
    const users = await readEmbeddings(join(modelDir, 'v1', 'users'));
    expect(users.ids).toHaveLength(40);
    const norm = Math.hypot(...users.vectors.subarray(0, 8));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('serves the trained ranker: ONNX scores equal the TypeScript reference within 1e-5', async () => {
    expect((await ping()).model_version).toBe('v1');
    const rand = seededRandom(9);
    const rows = 25;
    const features = Array.from({ length: rows * RANKER_FEATURES.length }, () => rand() * 2 - 0.5);
    const answer = await invoke(rows, features);
    const expected = scoreLinear(
      first.manifest && first.model.ranker.weights,
      first.model.ranker.bias,
      features,
      rows,
    );
    expect(answer.model_version).toBe('v1');
    answer.scores.forEach((s, i) => {
      expect(Math.abs(s - (expected[i] as number))).toBeLessThan(1e-5);
    });
  });

  it('refuses a bundle from another embedding space and keeps serving the current one', async () => {
    other = await buildBundle({
      ...data,
      meta: data.items,
      encoder,
      modelDir,
      version: 'v2-other-space',
      training: { als: { factors: 8, iterations: 2, seed: 5 } },
      now: new Date('2026-01-02T00:00:00Z'),
    });
    await setCurrentVersion(modelDir, 'v2-other-space');
    const res = await reload();
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toContain(
      'differs from the served attune-cf-v1-d8',
    );
    expect((await ping()).model_version).toBe('v1');
    expect(
      (
        await invoke(
          1,
          RANKER_FEATURES.map((_, i) => 0.1 * (i + 1)),
        )
      ).model_version,
    ).toBe('v1');
  });

  it('publishes a new version atomically and rolls back with its embeddings', async () => {
    const second = await buildBundle({
      ...data,
      meta: data.items,
      encoder,
      modelDir,
      version: 'v3',
      training: { als: { factors: 8, iterations: 3, seed: 99 } },
      now: new Date('2026-01-03T00:00:00Z'),
    });
    await publishBundle({ modelDir, manifest: second.manifest, items: second.items, catalog, index });
    expect(((await reload().then((r) => r.json())) as { model_version: string }).model_version).toBe('v3');
    const [afterPublish] = await catalog.getItems(['m5']);
    expect(afterPublish?.embedding[0]).toBeCloseTo(
      second.items.find((i) => i.item_id === 'm5')?.embedding[0] as number,
      5,
    );

    // Versions are ordered by creation time: the one before v3 is v2-other-space.
    const back = await rollbackBundle(modelDir, { catalog, index });
    expect(back).toBe('v2-other-space');
    expect(await readCurrentVersion(modelDir)).toBe('v2-other-space');
    const res = await reload();
    expect(res.status).toBe(200);
    expect((await ping()).model_version).toBe('v2-other-space');
    const [afterRollback] = await catalog.getItems(['m5']);
    const want = other.items.find((i) => i.item_id === 'm5')?.embedding ?? [];
    afterRollback?.embedding.forEach((x, d) => {
      expect(x).toBeCloseTo(want[d] as number, 5);
    });
    const state = JSON.parse(await readFile(join(modelDir, 'serving-state.json'), 'utf8')) as {
      space_version: string;
    };
    expect(state.space_version).toBe('attune-cf-v2-other-space-d8');
  });
});
