import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { ValidationError } from '../../common/errors';
import type { Role } from '../auth/roles';
import type { AdminEnv } from './env';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * One admin route as data: the same definition registers the hono handler, guards it with a
 * role and produces its OpenAPI operation, so the document cannot drift from the routes.
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

/** `/admin/campaigns/{id}` -> `/admin/campaigns/:id` */
export const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown): z.infer<S> {
  if (!schema) return undefined as z.infer<S>;
  const out = schema.safeParse(value);
  if (!out.success) throw new ValidationError(out.error.issues);
  return out.data;
}

async function readBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: [], message: 'body is not valid JSON' }]);
  }
}

/** Registers every route on `app`, each behind `guard(role)` and zod validation of its input. */
export function mountRoutes(
  app: Hono<AdminEnv>,
  routes: readonly AnyRoute[],
  guard: (role: Role) => (c: Context<AdminEnv>, next: () => Promise<void>) => Promise<void>,
): void {
  for (const r of routes) {
    const handlers = [
      ...(r.role === 'public' ? [] : [guard(r.role)]),
      async (c: Context<AdminEnv>) => {
        const params = parse(r.params, c.req.param());
        const query = parse(r.query, c.req.query());
        const body = r.body ? parse(r.body, await readBody(c)) : undefined;
        return r.handler(c, { params, query, body });
      },
    ];
    // biome-ignore lint/suspicious/noExplicitAny: hono's overloads do not accept a spread of handlers.
    (app as any)[r.method](honoPath(r.path), ...handlers);
  }
}
