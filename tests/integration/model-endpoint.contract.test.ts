import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LINEAR_RANKER,
  DEFAULT_MODEL_VERSION,
  type LinearRankerSpec,
  publishModel,
  type RunningModelServer,
  scoreLinear,
  startModelServer,
} from '../../local/model-server/index';
import { freePort } from '../../local/net/free-port';
import { waitFor } from '../../local/net/wait-for';
import { spawnGroup } from '../../local/standins/process-group';
import { OnnxCpuModelEndpoint } from '../../origin-lambdas/adapters/onnx-cpu-model-endpoint';
import {
  ModelEndpointError,
  SageMakerModelEndpoint,
} from '../../origin-lambdas/adapters/sagemaker-model-endpoint';
import { createSageMakerRuntimeClient } from '../../origin-lambdas/common/aws-clients';
import type { ModelEndpoint } from '../../shared/ports/model-endpoint';
import { FEATURE_CATALOG } from '../../shared/schemas/features';
import type { RankingRequest } from '../../shared/schemas/ranking';

const names = [...DEFAULT_LINEAR_RANKER.featureNames];
// Generous budget: this suite checks behaviour, not latency, on a shared 2-core machine.
const TIMEOUT_MS = 3000;

let modelDir: string;
let server: RunningModelServer;
let client: SageMakerRuntimeClient;
let endpoint: SageMakerModelEndpoint;

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'attune-endpoint-'));
  server = await startModelServer({ port: await freePort(), modelDir });
  client = createSageMakerRuntimeClient({ endpoint: server.url });
  endpoint = new SageMakerModelEndpoint({
    client,
    endpointName: 'attune-ranker',
    timeoutMs: TIMEOUT_MS,
    pingUrl: `${server.url}/ping`,
  });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(modelDir, { recursive: true, force: true });
});

function randomRequest(rows: number, seed: number): RankingRequest {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  return { feature_names: names, rows, features: Array.from({ length: rows * names.length }, next) };
}

function expectScores(got: number[], spec: LinearRankerSpec, req: RankingRequest): void {
  const want = scoreLinear(spec.weights, spec.bias, req.features, req.rows);
  expect(got).toHaveLength(req.rows);
  got.forEach((s, i) => {
    expect(Math.abs(s - (want[i] as number))).toBeLessThan(1e-5);
  });
}

async function rankError(p: Promise<unknown>): Promise<ModelEndpointError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelEndpointError);
  return err as ModelEndpointError;
}

describe('SageMakerModelEndpoint against the local model server', () => {
  it('speaks the SageMaker runtime API: raw JSON body, content type and variant in the answer', async () => {
    const req = randomRequest(3, 7);
    const out = await client.send(
      new InvokeEndpointCommand({
        EndpointName: 'attune-ranker',
        ContentType: 'application/json',
        Accept: 'application/json',
        Body: new TextEncoder().encode(JSON.stringify(req)),
      }),
    );
    expect(out.ContentType).toBe('application/json');
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
    const body = JSON.parse(new TextDecoder().decode(out.Body)) as {
      scores: number[];
      model_version: string;
    };
    expect(body.model_version).toBe(DEFAULT_MODEL_VERSION);
    expectScores(body.scores, DEFAULT_LINEAR_RANKER, req);
  });

  it('ranks 200 candidates with the scores of the TypeScript reference', async () => {
    const req = randomRequest(200, 11);
    const res = await endpoint.rank(req);
    expect(res.model_version).toBe(DEFAULT_MODEL_VERSION);
    expectScores(res.scores, DEFAULT_LINEAR_RANKER, req);
  });

  it('fails with reason http and status 400 naming a declared feature the request lacks', async () => {
    const err = await rankError(
      endpoint.rank({
        feature_names: ['affinity', 'popularity', 'freshness', 'ctr'],
        rows: 1,
        features: [1, 1, 1, 1],
      }),
    );
    expect(err.reason).toBe('http');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(
      /feature_names: missing declared feature\(s\) \[similarity\]; the model declares \[popularity, freshness, affinity, similarity\]/,
    );
  });

  it('reports the loaded version on /ping and through health()', async () => {
    const ping = (await (await fetch(`${server.url}/ping`)).json()) as {
      status: string;
      model_version: string;
    };
    expect(ping).toMatchObject({ status: 'ok', model_version: DEFAULT_MODEL_VERSION });
    expect(await endpoint.health()).toEqual({ ok: true, detail: `model ${DEFAULT_MODEL_VERSION}` });
    const unchecked = new SageMakerModelEndpoint({ client, endpointName: 'attune-ranker' });
    expect(await unchecked.health()).toEqual({ ok: true, detail: 'not checked' });
  });

  it('hot-swaps to a new version on POST /reload', async () => {
    const v2: LinearRankerSpec = { featureNames: names, weights: [-0.5, 2.5, 0.1, -1.2], bias: 0.3 };
    await publishModel(modelDir, 'v2', v2);
    const reload = await fetch(`${server.url}/reload`, { method: 'POST' });
    expect(await reload.json()).toMatchObject({ model_version: 'v2' });
    const req = randomRequest(50, 23);
    const res = await endpoint.rank(req);
    expect(res.model_version).toBe('v2');
    expectScores(res.scores, v2, req);
  });

  it('hot-swaps when current.json changes, without an explicit reload', async () => {
    const v3: LinearRankerSpec = { featureNames: names, weights: [0.9, 0.9, -2, 3], bias: -1 };
    await publishModel(modelDir, 'v3', v3);
    await waitFor('model v3', async () => (await endpoint.health()).detail === 'model v3', {
      timeoutMs: 10_000,
    });
    const req = randomRequest(20, 5);
    const res = await endpoint.rank(req);
    expect(res.model_version).toBe('v3');
    expectScores(res.scores, v3, req);
  });

  it('fails with reason timeout when the endpoint accepts but never answers', async () => {
    const silent = await startSilentServer();
    const c = createSageMakerRuntimeClient({ endpoint: silent.url });
    try {
      const ep = new SageMakerModelEndpoint({ client: c, endpointName: 'attune-ranker', timeoutMs: 200 });
      const err = await rankError(ep.rank(randomRequest(1, 1)));
      expect(err.reason).toBe('timeout');
      expect(err.message).toMatch(/did not answer within 200 ms/);
    } finally {
      c.destroy();
      await silent.close();
    }
  });

  it('fails with reason http (no status) instead of hanging when the server is stopped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attune-stopped-'));
    const stopped = await startModelServer({ port: await freePort(), modelDir: dir, watch: false });
    const c = createSageMakerRuntimeClient({ endpoint: stopped.url });
    try {
      const ep = new SageMakerModelEndpoint({
        client: c,
        endpointName: 'attune-ranker',
        timeoutMs: TIMEOUT_MS,
      });
      expect((await ep.rank(randomRequest(1, 2))).model_version).toBe(DEFAULT_MODEL_VERSION);
      await stopped.close();
      // First call: the client's kept-alive socket is reset; second: the connection is refused.
      for (const seed of [3, 4]) {
        const err = await rankError(ep.rank(randomRequest(1, seed)));
        expect(err.reason).toBe('http');
        expect(err.status).toBeUndefined();
        expect(err.message).toMatch(/could not be reached/);
      }
    } finally {
      c.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The ModelEndpoint contract, run against every adapter over the same bundle: the served one
 * (SageMaker runtime API against the local server) and the in-process CPU one.
 */
describe.each([
  ['SageMakerModelEndpoint', 'sagemaker'],
  ['OnnxCpuModelEndpoint', 'cpu'],
] as const)('ModelEndpoint contract: %s', (_name, kind) => {
  const spec: LinearRankerSpec = { featureNames: names, weights: [0.7, -0.4, 1.9, 1.1], bias: -1.5 };
  let dir: string;
  let served: RunningModelServer | undefined;
  let sdk: SageMakerRuntimeClient | undefined;
  let cpu: OnnxCpuModelEndpoint | undefined;
  let ep: ModelEndpoint;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `attune-contract-${kind}-`));
    await publishModel(dir, 'contract-v1', spec);
    if (kind === 'cpu') {
      cpu = new OnnxCpuModelEndpoint({ path: dir });
      ep = cpu;
      return;
    }
    served = await startModelServer({ port: await freePort(), modelDir: dir, watch: false });
    sdk = createSageMakerRuntimeClient({ endpoint: served.url });
    ep = new SageMakerModelEndpoint({
      client: sdk,
      endpointName: 'attune-ranker',
      timeoutMs: TIMEOUT_MS,
      pingUrl: `${served.url}/ping`,
    });
  });

  afterAll(async () => {
    sdk?.destroy();
    await served?.close();
    await cpu?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scores the declared features picked by name from the full, reordered catalog', async () => {
    const catalog = [...FEATURE_CATALOG].reverse();
    const rows = 40;
    const req = randomRequest(rows, 31);
    // Lay the declared columns into the catalog order; every other feature gets noise it must ignore.
    const features: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (const n of catalog) {
        const at = names.indexOf(n);
        features.push(at < 0 ? 100 + r : (req.features[r * names.length + at] as number));
      }
    }
    const res = await ep.rank({ feature_names: catalog, rows, features });
    expect(res.model_version.replace(/\+cpu$/, '')).toBe('contract-v1');
    expectScores(res.scores, spec, req);
  });

  it('rejects a request that lacks a declared feature, naming it', async () => {
    const err = await ep
      .rank({ feature_names: ['popularity', 'freshness', 'affinity'], rows: 1, features: [1, 1, 1] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/missing declared feature\(s\) \[similarity\]/);
  });

  it('rejects duplicated feature names', async () => {
    const err = await ep
      .rank({ feature_names: [...names, 'popularity'], rows: 1, features: [1, 1, 1, 1, 1] })
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/duplicated feature name\(s\) \[popularity\]/);
  });

  it('reports healthy with the model version', async () => {
    const h = await ep.health();
    expect(h.ok).toBe(true);
    expect(h.detail).toMatch(/^model contract-v1/);
  });
});

describe('model server CLI', () => {
  it('prints one ready line, serves, and exits 0 on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attune-cli-'));
    const port = await freePort();
    const stdout: string[] = [];
    const child = spawnGroup(
      'model-server',
      process.execPath,
      ['--import', 'tsx', 'local/model-server/main.ts', '--port', String(port), '--model-dir', dir],
      { onLine: (line, stream) => stream === 'stdout' && stdout.push(line) },
    );
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await waitFor('model server CLI', async () => stdout.length > 0, { timeoutMs: 30_000 });
      expect(stdout).toEqual([
        `model server listening on http://127.0.0.1:${port} (model ${DEFAULT_MODEL_VERSION})`,
      ]);
      const ping = await fetch(`http://127.0.0.1:${port}/ping`);
      expect(ping.status).toBe(200);
      await child.stop();
      expect(await exit).toEqual({ code: 0, signal: null });
    } finally {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A TCP server that accepts connections and never answers, to provoke a client-side timeout. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
}
