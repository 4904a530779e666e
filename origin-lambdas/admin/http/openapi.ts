import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from '../../../shared/schemas/problem';
import type { AdminEnv } from './env';
import type { AnyRoute } from './registry';

/** `ProblemDetails` (shared/schemas/problem.ts) as a schema, for `components.schemas.Problem`. */
const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  request_id: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

// Optional in the schema: the first version of a surface's rules needs none, and a missing
// If-Match must stay a 428 from `requireIfMatch`, not a 400 from validation.
const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .describe('The version last read, as returned in the ETag header; 428 when it is needed and absent'),
});

/** The document's fixed parts; paths and schemas come from the registered routes. */
const DOCUMENT_CONFIG = {
  openapi: '3.1.0',
  info: { title: 'Attune admin API', version: '1.0.0' },
  servers: [{ url: '/' }],
  security: [{ apiKey: [] }],
};

/** `post /admin/campaigns/{id}/pause` -> `postAdminCampaignsIdPause` */
const operationId = (r: AnyRoute) =>
  `${r.method}${r.path.replace(/[^a-zA-Z0-9]+(\w)/g, (_, ch: string) => ch.toUpperCase()).replace(/\W+$/, '')}`;

/**
 * Names schemas in `components.schemas` once per app. The package marks a schema as a
 * component by cloning it with a ref id, so the clone is what the operations must use.
 */
export function schemaNamer(app: OpenAPIHono<AdminEnv>) {
  const named = new Map<string, z.ZodType>();
  return (name: string, schema: z.ZodType): z.ZodType => {
    let out = named.get(name);
    if (!out) {
      out = app.openAPIRegistry.register(name, schema) as z.ZodType;
      named.set(name, out);
    }
    return out;
  };
}

function problemResponses(r: AnyRoute, problem: z.ZodType) {
  const res = (description: string) => ({
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: problem } },
  });
  return {
    400: res('Invalid request; `errors` names each field'),
    ...(r.role === 'public'
      ? {}
      : {
          401: res('Missing, unknown, expired or revoked API key'),
          403: res(`Requires role ${r.role} or stronger`),
        }),
    ...(r.params ? { 404: res('Not found') } : {}),
    ...(r.ifMatch ? { 409: res('The If-Match version is stale'), 428: res('If-Match is required') } : {}),
    ...(r.body ? { 415: res('The body must be application/json') } : {}),
  };
}

/**
 * The `createRoute` config for one route definition: request schemas, the success response and
 * the problem+json errors it can answer, and `middleware` (the role guard) run before validation.
 */
export function routeConfig(
  r: AnyRoute,
  name: (name: string, schema: z.ZodType) => z.ZodType,
  middleware: MiddlewareHandler[],
): RouteConfig {
  return {
    method: r.method,
    path: r.path,
    tags: [r.tag],
    summary: r.summary,
    operationId: operationId(r),
    ...(r.role === 'public' ? { security: [] } : { 'x-required-role': r.role }),
    request: {
      ...(r.params ? { params: r.params } : {}),
      ...(r.query ? { query: r.query } : {}),
      ...(r.ifMatch ? { headers: ifMatchHeaders } : {}),
      ...(r.body ? { body: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
    },
    responses: {
      [r.response.status]: {
        description: r.summary,
        content: { 'application/json': { schema: name(r.response.name, r.response.schema) } },
      },
      ...problemResponses(r, name('Problem', problemSchema)),
    },
    middleware,
  };
}

/** Serves the package-generated OpenAPI 3.1 document with the API-key security scheme. */
export function serveDocument(app: OpenAPIHono<AdminEnv>, path: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
  });
  app.doc31(path, DOCUMENT_CONFIG);
}
