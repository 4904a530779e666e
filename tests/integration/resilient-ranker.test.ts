import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LinearRankerSpec, publishModel, scoreLinear } from '../../local/model-server/index';
import { freePort } from '../../local/net/free-port';
import { waitFor } from '../../local/net/wait-for';
import { type GroupChild, spawnGroup } from '../../local/standins/process-group';
import { OnnxCpuModelEndpoint } from '../../origin-lambdas/adapters/onnx-cpu-model-endpoint';
import { SageMakerModelEndpoint } from '../../origin-lambdas/adapters/sagemaker-model-endpoint';
import { createSageMakerRuntimeClient } from '../../origin-lambdas/common/aws-clients';
import {
  RANKER_METRICS,
  type RankerMetricsSink,
  ResilientRanker,
} from '../../origin-lambdas/recommend/ranking/resilient-ranker';
import type { DependencyHealth } from '../../shared/ports/event-stream';
import type { ModelEndpoint } from '../../shared/ports/model-endpoint';
import { FEATURE_CATALOG } from '../../shared/schemas/features';
import type { RankingRequest, RankingResponse } from '../../shared/schemas/ranking';

const VERSION = 'ranker-it-v1';
const SPEC: LinearRankerSpec = {
  featureNames: ['popularity', 'freshness', 'affinity', 'similarity'],
  weights: [1.1, -0.3, 2.2, 1.4],
  bias: -1.8,
};
const THRESHOLD = 3;
const COOLDOWN_MS = 10_000;
// Generous budgets: this suite checks behaviour, not latency, on a shared 2-core machine.
const BUDGET_MS = 3000;

/** Counts the calls that reach the real adapter, i.e. the network calls the breaker let through. */
class CountingEndpoint implements ModelEndpoint {
  calls = 0;
  constructor(private readonly inner: ModelEndpoint) {}
  rank(request: RankingRequest, options?: { timeoutMs?: number }): Promise<RankingResponse> {
    this.calls++;
    return this.inner.rank(request, options);
  }
  health(): Promise<DependencyHealth> {
    return this.inner.health();
  }
}

let modelDir: string;
let port: number;
let server: GroupChild | undefined;
let client: SageMakerRuntimeClient;
let counting: CountingEndpoint;
let cpu: OnnxCpuModelEndpoint;
let ranker: ResilientRanker;
let clock = 0;
const metricsAdded: [string, number][] = [];

/** Starts the model server CLI as its own process group and waits for its ready line. */
async function startServer(): Promise<GroupChild> {
  const lines: string[] = [];
  const child = spawnGroup(
    'model-server',
    process.execPath,
    ['--import', 'tsx', 'local/model-server/main.ts', '--port', String(port), '--model-dir', modelDir],
    { onLine: (line, stream) => stream === 'stdout' && lines.push(line) },
  );
  await waitFor('model server', async () => lines.length > 0, {
    timeoutMs: 30_000,
    giveUp: () => (child.exited() ? 'exited before it was ready' : undefined),
  });
  expect(lines).toEqual([`model server listening on http://127.0.0.1:${port} (model ${VERSION})`]);
  return child;
}

/** Every catalog feature, in reverse catalog order; the model declares four of them. */
function catalogRequest(rows: number): { request: RankingRequest; declared: number[] } {
  const names: string[] = [...FEATURE_CATALOG].reverse();
  const features: number[] = [];
  const declared: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Map(names.map((n, i) => [n, ((r * 7 + i * 13) % 17) / 17]));
    for (const n of names) features.push(row.get(n) as number);
    for (const n of SPEC.featureNames) declared.push(row.get(n) as number);
  }
  return { request: { feature_names: names, rows, features }, declared };
}

const { request, declared } = catalogRequest(25);
const reference = scoreLinear(SPEC.weights, SPEC.bias, declared, request.rows);
let endpointScores: number[] = [];

function expectClose(got: readonly number[], want: readonly number[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((s, i) => {
    expect(Math.abs(s - (want[i] as number))).toBeLessThan(1e-5);
  });
}

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'attune-resilient-'));
  await publishModel(modelDir, VERSION, SPEC);
  port = await freePort();
  server = await startServer();
  client = createSageMakerRuntimeClient({ endpoint: `http://127.0.0.1:${port}` });
  counting = new CountingEndpoint(
    new SageMakerModelEndpoint({ client, endpointName: 'attune-ranker', timeoutMs: BUDGET_MS }),
  );
  cpu = new OnnxCpuModelEndpoint({ path: modelDir });
  const sink: RankerMetricsSink = {
    addMetric: (name, _unit, value) => {
      metricsAdded.push([name, value]);
    },
    publishStoredMetrics: () => {},
  };
  ranker = new ResilientRanker({
    endpoint: counting,
    fallback: cpu,
    timeoutMs: BUDGET_MS,
    fallbackTimeoutMs: BUDGET_MS,
    breaker: { failureThreshold: THRESHOLD, cooldownMs: COOLDOWN_MS, now: () => clock },
    metrics: sink,
    logger: { warn: () => {} },
  });
});

afterAll(async () => {
  await server?.stop();
  client?.destroy();
  await cpu?.close();
  if (modelDir) await rm(modelDir, { recursive: true, force: true });
});

describe('ResilientRanker against the real local model server', () => {
  it('scores through the endpoint while the server is up', async () => {
    const out = await ranker.rank(request);
    expect(out).toMatchObject({ scorer: 'endpoint', model_version: VERSION, replaced: 0 });
    expectClose(out.scores, reference);
    expect(counting.calls).toBe(1);
    expect(ranker.breakerState).toBe('closed');
    endpointScores = out.scores;
  });

  it('falls back to the same model on the CPU once the server process is stopped', async () => {
    await server?.stop();
    expect(server?.exited()).toBe(true);
    const out = await ranker.rank(request);
    expect(out).toMatchObject({ scorer: 'cpu-fallback', model_version: `${VERSION}+cpu`, replaced: 0 });
    expectClose(out.scores, endpointScores);
    expect(counting.calls).toBe(2);
    expect(ranker.breakerState).toBe('closed');
  });

  it(`opens the breaker after ${THRESHOLD} failures and then makes no call to the endpoint`, async () => {
    for (let i = 2; i <= THRESHOLD; i++) {
      expect((await ranker.rank(request)).scorer).toBe('cpu-fallback');
    }
    expect(counting.calls).toBe(THRESHOLD + 1);
    expect(ranker.breakerState).toBe('open');
    expect(metricsAdded.filter(([n]) => n === RANKER_METRICS.breakerOpen)).toEqual([
      [RANKER_METRICS.breakerOpen, 1],
    ]);

    const out = await ranker.rank(request);
    expect(out.scorer).toBe('cpu-fallback');
    expectClose(out.scores, endpointScores);
    expect(counting.calls).toBe(THRESHOLD + 1);
  });

  it('after a restart and the cooldown, one half-open trial reaches the server and closes the breaker', async () => {
    server = await startServer();
    // Still within the cooldown: the running server is not called yet.
    expect((await ranker.rank(request)).scorer).toBe('cpu-fallback');
    expect(counting.calls).toBe(THRESHOLD + 1);

    clock += COOLDOWN_MS;
    expect(ranker.breakerState).toBe('half-open');
    const out = await ranker.rank(request);
    expect(out).toMatchObject({ scorer: 'endpoint', model_version: VERSION });
    expectClose(out.scores, endpointScores);
    expect(counting.calls).toBe(THRESHOLD + 2);
    expect(ranker.breakerState).toBe('closed');

    expect((await ranker.rank(request)).scorer).toBe('endpoint');
    expect(counting.calls).toBe(THRESHOLD + 3);
  });

  it('counted a fallback for every call the endpoint did not score', () => {
    const fallbacks = metricsAdded.filter(([n]) => n === RANKER_METRICS.fallback).map(([, v]) => v);
    expect(fallbacks).toEqual([0, 1, 1, 1, 1, 1, 0, 0]);
  });
});
