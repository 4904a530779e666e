import type { MiddlewareHandler } from 'hono';

export type RequestIdVariables = { requestId: string };

/** Takes the caller's `x-request-id` (the edge sets one) or mints one, and echoes it back. */
export function requestId(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given && /^[\w.-]{1,128}$/.test(given) ? given : crypto.randomUUID();
    c.set('requestId', id);
    await next();
    c.header('x-request-id', id);
  };
}
