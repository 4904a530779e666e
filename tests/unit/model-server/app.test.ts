import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelApp } from '../../../local/model-server/app';
import { publishModel } from '../../../local/model-server/bundle';
import {
  DEFAULT_LINEAR_RANKER,
  DEFAULT_MODEL_VERSION,
  ensureDefaultModel,
  scoreLinear,
} from '../../../local/model-server/default-model';
import { ModelHolder } from '../../../local/model-server/model-holder';

const names = [...DEFAULT_LINEAR_RANKER.featureNames];
const json = (body: unknown, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': type },
  body: JSON.stringify(body),
});

let dir: string;
let holder: ModelHolder;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-app-'));
  await ensureDefaultModel(dir);
  holder = new ModelHolder(dir);
});
afterEach(async () => {
  await holder.close();
  await rm(dir, { recursive: true, force: true });
});

describe('model server app', () => {
  it('answers /ping with 503 problem+json until a model is loaded, then 200 with the version', async () => {
    const app = createModelApp(holder);
    const before = await app.request('/ping');
    expect(before.status).toBe(503);
    expect(before.headers.get('content-type')).toBe('application/problem+json');
    await holder.reload();
    const after = await app.request('/ping');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      status: 'ok',
      model_version: DEFAULT_MODEL_VERSION,
      feature_names: names,
    });
  });

  it('scores on /invocations and on the SDK path with the same result', async () => {
    await holder.reload();
    const app = createModelApp(holder);
    const features = [0.1, 0.9, 0.3, 0.7, 1, 0, 0, 1];
    const body = { feature_names: names, rows: 2, features };
    const a = await app.request('/invocations', json(body));
    const b = await app.request('/endpoints/any-name/invocations', json(body));
    expect(a.status).toBe(200);
    expect(b.headers.get('x-amzn-invoked-production-variant')).toBe('AllTraffic');
    const got = (await a.json()) as { scores: number[]; model_version: string };
    expect(await b.json()).toEqual(got);
    expect(got.model_version).toBe(DEFAULT_MODEL_VERSION);
    const want = scoreLinear(DEFAULT_LINEAR_RANKER.weights, DEFAULT_LINEAR_RANKER.bias, features, 2);
    got.scores.forEach((s, i) => {
      expect(Math.abs(s - (want[i] as number))).toBeLessThan(1e-5);
    });
  });

  it('rejects mismatched feature names with a problem naming feature_names', async () => {
    await holder.reload();
    const res = await createModelApp(holder).request(
      '/endpoints/x/invocations',
      json({ feature_names: ['popularity', 'affinity'], rows: 1, features: [1, 1] }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationError');
    const p = (await res.json()) as { errors: { field: string }[]; title: string };
    expect(p.title).toBe('Invalid request');
    expect(p.errors.map((e) => e.field)).toEqual(['feature_names']);
  });

  it('rejects a matrix whose size is not rows x features, a bad schema and a non-JSON body', async () => {
    await holder.reload();
    const app = createModelApp(holder);
    const short = await app.request(
      '/invocations',
      json({ feature_names: names, rows: 2, features: [1, 2, 3, 4] }),
    );
    expect(short.status).toBe(400);
    expect(((await short.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('features');
    const bad = await app.request('/invocations', json({ feature_names: names, rows: 0, features: [] }));
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'rows',
    ]);
    const text = await app.request('/invocations', json({ feature_names: names }, 'text/csv'));
    expect(text.status).toBe(415);
  });

  it('hot-swaps on /reload, and a request started before the swap finishes on the old model', async () => {
    await holder.reload();
    const app = createModelApp(holder);
    const features = Float32Array.from([0.2, 0.4, 0.6, 0.8]);
    const inFlight = holder.score(features, 1);
    const v2 = { ...DEFAULT_LINEAR_RANKER, weights: [-1, -1, -1, -1], bias: 0.5 };
    await publishModel(dir, 'v2', v2);
    const reload = await app.request('/reload', { method: 'POST' });
    expect(await reload.json()).toEqual({ model_version: 'v2', changed: true });

    const old = await inFlight;
    expect(old.model.version).toBe(DEFAULT_MODEL_VERSION);
    const after = await holder.score(features, 1);
    expect(after.model.version).toBe('v2');
    const want = scoreLinear(v2.weights, v2.bias, Array.from(features), 1)[0] as number;
    expect(Math.abs((after.scores[0] as number) - want)).toBeLessThan(1e-5);

    const again = await app.request('/reload', { method: 'POST' });
    expect(await again.json()).toEqual({ model_version: 'v2', changed: false });
  });

  it('answers unknown paths with a 404 problem', async () => {
    const res = await createModelApp(holder).request('/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { instance: string }).instance).toBe('/nope');
  });
});
