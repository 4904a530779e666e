import { Hono } from 'hono';
import { DEFAULT_RANKER_VARIANT, rankerVariantName } from '../../shared/ranking/model-variant';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problem } from '../../shared/schemas/problem';
import { BundleRefusedError } from './compatibility';
import { parseInvocation } from './invocation';
import { runModel } from './loaded-model';
import { type ModelHolder, ModelNotLoadedError } from './model-holder';
import { VariantRefusedError } from './variant-pool';

/** The header the SDK sends for InvokeEndpoint's `TargetVariant`. */
export const TARGET_VARIANT_HEADER = 'x-amzn-sagemaker-target-variant';
/** The header SageMaker answers with; the SDK surfaces it as `InvokedProductionVariant`. */
export const INVOKED_VARIANT_HEADER = 'x-amzn-invoked-production-variant';

/** Logger for the few events worth a line (reloads, unfamiliar endpoint names, 500s). */
export type ServerLog = (message: string) => void;

/**
 * The SageMaker inference-container contract (`GET /ping`, `POST /invocations`) plus the
 * runtime API path the AWS SDK calls (`POST /endpoints/{name}/invocations`), so
 * `InvokeEndpointCommand` works against this server unchanged. On that path the
 * `TargetVariant` header picks a production variant: `AllTraffic` (or none) is the current
 * model, any other name is the registry version named for it (`rankerVariantName`), loaded on
 * first use. `POST /reload` is a local-only admin hook that hot-swaps to the bundle
 * `current.json` points at.
 */
export function createModelApp(holder: ModelHolder, log: ServerLog = () => {}): Hono {
  const app = new Hono();
  const seenEndpoints = new Set<string>();

  app.get('/ping', (c) => {
    const m = holder.manifest;
    if (!m) return problemResponse(problem(503, 'Model not loaded'));
    return c.json({ status: 'ok', model_version: m.version, feature_names: m.feature_names });
  });

  app.post('/invocations', (c) => invoke(holder, c.req.raw, false));

  app.post('/endpoints/:name/invocations', (c) => {
    const name = c.req.param('name');
    // One model per server: any endpoint name is served, but say so once per unfamiliar name.
    if (!seenEndpoints.has(name)) {
      seenEndpoints.add(name);
      log(`serving endpoint '${name}' with the current model`);
    }
    const target = c.req.header(TARGET_VARIANT_HEADER);
    if (!target || target === DEFAULT_RANKER_VARIANT) return invoke(holder, c.req.raw, true);
    const current = holder.manifest;
    if (current && rankerVariantName(current.version) === target) {
      return invoke(holder, c.req.raw, true, target);
    }
    return invokeVariant(holder, c.req.raw, target, log);
  });

  app.post('/reload', async (c) => {
    let r: Awaited<ReturnType<ModelHolder['reload']>>;
    try {
      r = await holder.reload();
    } catch (err) {
      if (!(err instanceof BundleRefusedError)) throw err;
      log(err.message);
      return problemResponse(problem(409, 'Bundle refused', { detail: err.message }));
    }
    if (r.changed) log(`model reloaded: now serving ${r.version}`);
    return c.json({ model_version: r.version, changed: r.changed });
  });

  app.notFound((c) => problemResponse(problem(404, 'Not found', { instance: c.req.path })));

  app.onError((err, c) => {
    const sdkPath = c.req.path.startsWith('/endpoints/');
    if (err instanceof ModelNotLoadedError) return problemResponse(problem(503, 'Model not loaded'), sdkPath);
    const requestId = crypto.randomUUID();
    log(`request ${requestId} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return problemResponse(problem(500, 'Internal error', { request_id: requestId }), sdkPath);
  });

  return app;
}

async function invoke(
  holder: ModelHolder,
  req: Request,
  sdkPath: boolean,
  variant: string = DEFAULT_RANKER_VARIANT,
): Promise<Response> {
  const model = holder.manifest;
  if (!model) return problemResponse(problem(503, 'Model not loaded'), sdkPath);
  const parsed = await parseInvocation(req, model.feature_names);
  if (!parsed.ok) return problemResponse(parsed.problem, sdkPath);
  const { scores, model: used } = await holder.score(parsed.features, parsed.rows);
  return scored(scores, used.version, variant);
}

/** Scores with a non-current registry version; a variant that cannot serve is a 400 ValidationError. */
async function invokeVariant(holder: ModelHolder, req: Request, variant: string, log: ServerLog) {
  try {
    return await holder.variants.use(variant, async (m) => {
      const parsed = await parseInvocation(req, m.manifest.feature_names);
      if (!parsed.ok) return problemResponse(parsed.problem, true);
      return scored(await runModel(m, parsed.features, parsed.rows), m.manifest.version, variant);
    });
  } catch (err) {
    if (!(err instanceof VariantRefusedError)) throw err;
    log(err.message);
    return problemResponse(problem(400, 'Invalid target variant', { detail: err.message }), true);
  }
}

function scored(scores: number[], version: string, variant: string): Response {
  // What SageMaker adds to every answer: the production variant that served the request.
  return Response.json(
    { scores, model_version: version },
    { headers: { [INVOKED_VARIANT_HEADER]: variant } },
  );
}

/**
 * A problem+json response. On the SDK path it also names the error type the way the SageMaker
 * runtime does and repeats the detail as `message`, so SDK exceptions carry a useful text.
 */
function problemResponse(p: ProblemDetails, sdkPath = false): Response {
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  let payload: ProblemDetails & { message?: string } = p;
  if (sdkPath) {
    headers['x-amzn-errortype'] = errorType(p.status);
    payload = { ...p, message: p.detail ?? p.title };
  }
  return new Response(JSON.stringify(payload), { status: p.status, headers });
}

function errorType(status: number): string {
  if (status === 400 || status === 415) return 'ValidationError';
  if (status === 503) return 'ServiceUnavailable';
  return 'ModelError';
}
