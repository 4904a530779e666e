import { z } from 'zod';
import type { AnyRoute } from './registry';

type JsonSchema = Record<string, unknown>;

const toSchema = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    request_id: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const problemRef = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function parameters(r: AnyRoute): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    if (!schema) continue;
    const js = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {}))
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        schema: s,
      });
  }
  if (r.ifMatch)
    out.push({
      name: 'If-Match',
      in: 'header',
      required: true,
      description: 'The version last read, as returned in the ETag header',
      schema: { type: 'string' },
    });
  return out;
}

/** Builds the OpenAPI 3.1 document from the route definitions the app registers. */
export function openApiDocument(
  routes: readonly AnyRoute[],
  info = { title: 'Attune admin API', version: '1.0.0' },
) {
  const schemas: Record<string, JsonSchema> = { Problem: PROBLEM_SCHEMA };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    schemas[r.response.name] ??= toSchema(r.response.schema, 'output');
    const responses: Record<string, unknown> = {
      [String(r.response.status)]: {
        description: r.summary,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${r.response.name}` } } },
      },
      '400': problemRef('Invalid request; `errors` names each field'),
    };
    if (r.role !== 'public') {
      responses['401'] = problemRef('Missing, unknown, expired or revoked API key');
      responses['403'] = problemRef(`Requires role ${r.role} or stronger`);
    }
    if (r.params) responses['404'] = problemRef('Not found');
    if (r.ifMatch) {
      responses['409'] = problemRef('The If-Match version is stale');
      responses['428'] = problemRef('If-Match is required');
    }
    paths[r.path] ??= {};
    (paths[r.path] as Record<string, unknown>)[r.method] = {
      tags: [r.tag],
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/[^a-zA-Z0-9]+(\w)/g, (_, ch: string) => ch.toUpperCase())}`,
      ...(r.role === 'public' ? { security: [] } : { 'x-required-role': r.role }),
      parameters: parameters(r),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(r.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
    },
  };
}
