import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { ValidationError } from '../../common/errors';

/**
 * The `defaultHook` of the admin `OpenAPIHono`: a failed zod check is thrown as our
 * `ValidationError`, so `onError` stays the one place that shapes problem+json.
 */
export function throwValidationError(result: { success: boolean; error?: ZodError }): void {
  if (!result.success && result.error) throw new ValidationError(result.error.issues);
}

/**
 * Runs before the package's JSON validator, which would answer a missing or malformed body
 * with a bare "Malformed JSON" 400; ours names the body as the offending field instead.
 */
export async function requireJsonBody(c: Context, next: () => Promise<void>): Promise<void> {
  const text = await c.req.text();
  if (!text) throw new ValidationError([{ path: [], message: 'a JSON body is required' }]);
  try {
    JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: [], message: 'body is not valid JSON' }]);
  }
  await next();
}
