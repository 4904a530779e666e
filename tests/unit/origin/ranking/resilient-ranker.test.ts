import { describe, expect, it } from 'vitest';
import {
  HEURISTIC_VERSIONS,
  RANKER_METRICS,
  type RankerMetricsSink,
  ResilientRanker,
} from '../../../../origin-lambdas/recommend/ranking/resilient-ranker';
import type { DependencyHealth } from '../../../../shared/ports/event-stream';
import {
  type ModelEndpoint,
  ModelVersionRefusedError,
  type RankOptions,
} from '../../../../shared/ports/model-endpoint';
import type { RankingRequest, RankingResponse } from '../../../../shared/schemas/ranking';

/** A scripted ModelEndpoint: each call answers with the next behaviour (the last one repeats). */
class ScriptedEndpoint implements ModelEndpoint {
  calls = 0;
  readonly timeouts: (number | undefined)[] = [];
  constructor(private readonly script: ((req: RankingRequest) => Promise<RankingResponse>)[]) {}
  rank(req: RankingRequest, options?: { timeoutMs?: number }): Promise<RankingResponse> {
    this.timeouts.push(options?.timeoutMs);
    const step = this.script[Math.min(this.calls, this.script.length - 1)] as (
      r: RankingRequest,
    ) => Promise<RankingResponse>;
    this.calls++;
    return step(req);
  }
  async health(): Promise<DependencyHealth> {
    return { ok: true, detail: 'scripted' };
  }
}

/** An endpoint with a default version and a few production variants, as SageMaker has. */
class VariantEndpoint implements ModelEndpoint {
  readonly asked: (string | undefined)[] = [];
  constructor(
    private readonly scores: Record<string, number[]>,
    private readonly defaultVersion = 'v1',
  ) {}
  async rank(_req: RankingRequest, options?: RankOptions): Promise<RankingResponse> {
    this.asked.push(options?.modelVersion);
    const version = options?.modelVersion ?? this.defaultVersion;
    const scores = this.scores[version];
    if (!scores) throw new ModelVersionRefusedError(version, `no variant for ${version}`);
    return { scores, model_version: version };
  }
  async health(): Promise<DependencyHealth> {
    return { ok: true, detail: 'variants' };
  }
}

const answer =
  (scores: number[], model_version = 'v1') =>
  async () => ({ scores, model_version });
const failure =
  (message = 'down') =>
  async (): Promise<RankingResponse> => {
    throw new Error(message);
  };
const never = () => new Promise<RankingResponse>(() => {});

const request: RankingRequest = {
  feature_names: ['freshness', 'popularity'],
  rows: 3,
  features: [0.1, 0.9, 0.2, 0.3, 0.3, 0.6],
};

function recorder() {
  const added: [string, number][] = [];
  let published = 0;
  const sink: RankerMetricsSink = {
    addMetric: (name, _unit, value) => {
      added.push([name, value]);
    },
    publishStoredMetrics: () => {
      published++;
    },
  };
  return { sink, added, published: () => published };
}

const quiet = { warn: () => {} };

function ranker(endpoint: ModelEndpoint, fallback?: ModelEndpoint, extra: { now?: () => number } = {}) {
  const m = recorder();
  const r = new ResilientRanker({
    endpoint,
    ...(fallback ? { fallback } : {}),
    timeoutMs: 50,
    fallbackTimeoutMs: 50,
    breaker: { failureThreshold: 2, cooldownMs: 1000, now: extra.now ?? (() => 0) },
    metrics: m.sink,
    logger: quiet,
  });
  return { r, m };
}

describe('ResilientRanker', () => {
  it('scores through the endpoint when it answers, passing the timeout down', async () => {
    const endpoint = new ScriptedEndpoint([answer([0.5, 0.25, 0.75])]);
    const { r, m } = ranker(endpoint);
    expect(await r.rank(request)).toEqual({
      scores: [0.5, 0.25, 0.75],
      model_version: 'v1',
      scorer: 'endpoint',
      replaced: 0,
    });
    expect(endpoint.timeouts).toEqual([50]);
    expect(m.added).toEqual([
      [RANKER_METRICS.fallback, 0],
      [RANKER_METRICS.scoresReplaced, 0],
    ]);
    expect(m.published()).toBe(1);
  });

  it('replaces and counts NaN and out-of-range endpoint scores without falling back', async () => {
    const { r, m } = ranker(new ScriptedEndpoint([answer([Number.NaN, 2, 0.5])]));
    expect(await r.rank(request)).toEqual({
      scores: [0, 1, 0.5],
      model_version: 'v1',
      scorer: 'endpoint',
      replaced: 2,
    });
    expect(m.added).toEqual([
      [RANKER_METRICS.fallback, 0],
      [RANKER_METRICS.scoresReplaced, 2],
    ]);
  });

  it('falls back to the CPU scorer on an endpoint error', async () => {
    const cpu = new ScriptedEndpoint([answer([0.3, 0.2, 0.1], 'v1+cpu')]);
    const { r, m } = ranker(new ScriptedEndpoint([failure()]), cpu);
    expect(await r.rank(request)).toEqual({
      scores: [0.3, 0.2, 0.1],
      model_version: 'v1+cpu',
      scorer: 'cpu-fallback',
      replaced: 0,
    });
    expect(cpu.timeouts).toEqual([50]);
    expect(m.added).toEqual([
      [RANKER_METRICS.fallback, 1],
      [RANKER_METRICS.scoresReplaced, 0],
    ]);
  });

  it('falls back when the endpoint never answers (timeout)', async () => {
    const { r } = ranker(new ScriptedEndpoint([never]), new ScriptedEndpoint([answer([1, 0, 1], 'v1+cpu')]));
    expect((await r.rank(request)).scorer).toBe('cpu-fallback');
  });

  it('treats a wrong number of endpoint scores as a failure', async () => {
    const endpoint = new ScriptedEndpoint([answer([0.1, 0.2])]);
    const { r } = ranker(endpoint, new ScriptedEndpoint([answer([1, 0, 1], 'v1+cpu')]));
    expect((await r.rank(request)).scorer).toBe('cpu-fallback');
    expect((await r.rank(request)).scorer).toBe('cpu-fallback');
    expect(r.breakerState).toBe('open');
  });

  it('uses the popularity column when both scorers fail, and never throws', async () => {
    const { r, m } = ranker(new ScriptedEndpoint([failure()]), new ScriptedEndpoint([failure('no model')]));
    expect(await r.rank(request)).toEqual({
      scores: [0.9, 0.3, 0.6],
      model_version: HEURISTIC_VERSIONS.popularity,
      scorer: 'heuristic',
      replaced: 0,
    });
    expect(m.added).toEqual([
      [RANKER_METRICS.fallback, 1],
      [RANKER_METRICS.scoresReplaced, 0],
    ]);
  });

  it('uses zeros without a popularity column or without a fallback configured', async () => {
    const { r } = ranker(new ScriptedEndpoint([failure()]));
    expect(await r.rank({ feature_names: ['freshness'], rows: 2, features: [0.4, 0.5] })).toEqual({
      scores: [0, 0],
      model_version: HEURISTIC_VERSIONS.none,
      scorer: 'heuristic',
      replaced: 0,
    });
  });

  it('opens the breaker after the threshold and stops calling the endpoint until the cooldown', async () => {
    let clock = 0;
    const endpoint = new ScriptedEndpoint([failure(), failure(), answer([0.1, 0.2, 0.3])]);
    const cpu = new ScriptedEndpoint([answer([0.5, 0.5, 0.5], 'v1+cpu')]);
    const { r, m } = ranker(endpoint, cpu, { now: () => clock });
    await r.rank(request);
    await r.rank(request);
    expect(r.breakerState).toBe('open');
    expect(m.added.filter(([n]) => n === RANKER_METRICS.breakerOpen)).toEqual([
      [RANKER_METRICS.breakerOpen, 1],
    ]);
    expect((await r.rank(request)).scorer).toBe('cpu-fallback');
    expect(endpoint.calls).toBe(2);
    clock = 1000;
    expect(r.breakerState).toBe('half-open');
    expect(await r.rank(request)).toMatchObject({ scorer: 'endpoint', scores: [0.1, 0.2, 0.3] });
    expect(endpoint.calls).toBe(3);
    expect(r.breakerState).toBe('closed');
  });

  it('keeps a malformed request away from the endpoint and the breaker', async () => {
    const endpoint = new ScriptedEndpoint([answer([1])]);
    const { r } = ranker(endpoint, new ScriptedEndpoint([answer([1])]));
    const bad = { feature_names: ['popularity', 'popularity'], rows: 1, features: [0.5, 0.5] };
    for (let i = 0; i < 3; i++) {
      expect(await r.rank(bad)).toEqual({
        scores: [0],
        model_version: HEURISTIC_VERSIONS.none,
        scorer: 'heuristic',
        replaced: 0,
      });
    }
    expect(endpoint.calls).toBe(0);
    expect(r.breakerState).toBe('closed');
  });

  it('clamps heuristic values outside [0, 1] and counts them', async () => {
    const { r, m } = ranker(new ScriptedEndpoint([failure()]));
    const out = await r.rank({ feature_names: ['popularity'], rows: 2, features: [3, Number.NaN] });
    expect(out).toMatchObject({ scores: [1, 0], replaced: 2, scorer: 'heuristic' });
    expect(m.added).toContainEqual([RANKER_METRICS.scoresReplaced, 2]);
  });

  describe('with a model version to target', () => {
    const variants = { v1: [0.1, 0.2, 0.3], v2: [0.9, 0.8, 0.7] };

    it('scores with the asked version and says so', async () => {
      const endpoint = new VariantEndpoint(variants);
      const { r, m } = ranker(endpoint);
      expect(await r.rank(request, { modelVersion: 'v2' })).toEqual({
        scores: [0.9, 0.8, 0.7],
        model_version: 'v2',
        scorer: 'endpoint',
        replaced: 0,
      });
      expect(endpoint.asked).toEqual(['v2']);
      expect(m.added.map(([n]) => n)).not.toContain(RANKER_METRICS.variantRefused);
    });

    it('falls back to the default variant on a refused version, counts it, and keeps the breaker closed', async () => {
      const endpoint = new VariantEndpoint(variants);
      const { r, m } = ranker(endpoint);
      for (let i = 0; i < 3; i++) {
        expect(await r.rank(request, { modelVersion: 'v9' })).toEqual({
          scores: [0.1, 0.2, 0.3],
          model_version: 'v1',
          scorer: 'endpoint',
          replaced: 0,
        });
      }
      expect(endpoint.asked).toEqual(['v9', undefined, 'v9', undefined, 'v9', undefined]);
      expect(m.added.filter(([n]) => n === RANKER_METRICS.variantRefused)).toEqual(
        new Array(3).fill([RANKER_METRICS.variantRefused, 1]),
      );
      expect(m.added.filter(([n]) => n === RANKER_METRICS.fallback)).toEqual(
        new Array(3).fill([RANKER_METRICS.fallback, 0]),
      );
      expect(r.breakerState).toBe('closed');
    });

    it('lets the CPU fallback serve its own version when the endpoint is down', async () => {
      const cpu = new ScriptedEndpoint([answer([0.3, 0.2, 0.1], 'v1+cpu')]);
      const { r } = ranker(new ScriptedEndpoint([failure()]), cpu);
      expect(await r.rank(request, { modelVersion: 'v2' })).toMatchObject({
        model_version: 'v1+cpu',
        scorer: 'cpu-fallback',
      });
    });
  });
});
