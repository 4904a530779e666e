import { Hono } from 'hono';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problem } from '../../shared/schemas/problem';
import { BundleRefusedError } from './compatibility';
import { parseInvocation } from './invocation';
import { type ModelHolder, ModelNotLoadedError } from './model-holder';

/** Logger for the few events worth a line (reloads, unfamiliar endpoint names, 500s). */
export type ServerLog = (message: string) => void;

/**
 * The SageMaker inference-container contract (`GET /ping`, `POST /invocations`) plus the
 * runtime API path the AWS SDK calls (`POST /endpoints/{name}/invocations`), so
 * `InvokeEndpointCommand` works against this server unchanged. `POST /reload` is a local-only
 * admin hook that hot-swaps to the bundle `current.json` points at.
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
    return invoke(holder, c.req.raw, true);
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

async function invoke(holder: ModelHolder, req: Request, sdkPath: boolean): Promise<Response> {
  const model = holder.manifest;
  if (!model) return problemResponse(problem(503, 'Model not loaded'), sdkPath);
  const parsed = await parseInvocation(req, model.feature_names);
  if (!parsed.ok) return problemResponse(parsed.problem, sdkPath);
  const { scores, model: used } = await holder.score(parsed.features, parsed.rows);
  return Response.json(
    { scores, model_version: used.version },
    // What SageMaker adds to every answer; the SDK surfaces it as InvokedProductionVariant.
    { headers: { 'x-amzn-invoked-production-variant': 'AllTraffic' } },
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
