import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { Role } from '../auth/roles';
import type { AdminEnv } from './env';
import { routeConfig, schemaNamer } from './openapi';
import { requireJsonBody } from './validation';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * One admin route as data: the same definition registers the `@hono/zod-openapi` route, guards
 * it with a role, validates its input and produces its OpenAPI operation, so the document
 * cannot drift from the routes.
 */
export interface RouteDef<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  readonly method: Method;
  /** OpenAPI-style path, e.g. `/admin/campaigns/{id}`. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  /** Weakest role allowed; `public` routes need no key. */
  readonly role: Role | 'public';
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Success status and body schema, named for `components.schemas`. */
  readonly response: { status: 200 | 201 | 202; name: string; schema: z.ZodType };
  /** Whether the route takes `If-Match` for optimistic concurrency. */
  readonly ifMatch?: boolean;
  readonly handler: (
    c: Context<AdminEnv>,
    input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> },
  ) => Promise<Response>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry stores routes of every input shape.
export type AnyRoute = RouteDef<any, any, any>;

/** Declares a route; the identity function exists to infer the input types for the handler. */
export function route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType = z.ZodUndefined>(
  def: RouteDef<P, Q, B>,
): RouteDef<P, Q, B> {
  return def;
}

type Guard = (role: Role) => MiddlewareHandler<AdminEnv>;

/** Validated input of one target, or `undefined` when the route declares no schema for it. */
// biome-ignore lint/suspicious/noExplicitAny: route configs are built from data, so their input types are erased here and restored by RouteDef.
const valid = (c: any, target: string, declared: unknown) => (declared ? c.req.valid(target) : undefined);

/**
 * Registers every route with `app.openapi`: the role guard first (so an unauthorised caller
 * learns nothing from validation), then the package's validators, then the handler.
 */
export function mountRoutes(app: OpenAPIHono<AdminEnv>, routes: readonly AnyRoute[], guard: Guard): void {
  const name = schemaNamer(app);
  for (const r of routes) {
    const middleware = [
      ...(r.role === 'public' ? [] : [guard(r.role)]),
      ...(r.body ? [requireJsonBody] : []),
    ];
    app.openapi(routeConfig(r, name, middleware), (c) =>
      r.handler(c as unknown as Context<AdminEnv>, {
        params: valid(c, 'param', r.params),
        query: valid(c, 'query', r.query),
        body: valid(c, 'json', r.body),
      }),
    );
  }
}
