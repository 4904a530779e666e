import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ValidationError } from '../../shared/errors';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  problem,
  validationProblem,
} from '../../shared/schemas/problem';
import type { AppEnv } from './app-env';
import { log } from './log';

export { ValidationError };

/** The Worker's own configuration is wrong: an operator error, answered as a 500 naming the variables. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variables: readonly string[],
    readonly detail: string,
  ) {
    super(`invalid configuration: ${detail}`);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  415: 'Unsupported media type',
};

/** A problem+json response carrying the request id. */
export function problemResponse(body: ProblemDetails, requestId: string | undefined): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...(requestId ? { 'x-request-id': requestId } : {}) },
  });
}

/** The Worker's one error mapper (`app.onError`). */
export function onError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId');
  const id = requestId ? { request_id: requestId } : {};
  if (err instanceof ValidationError)
    return problemResponse(validationProblem(err.issues, requestId), requestId);
  if (err instanceof ConfigError) {
    log('error', 'invalid configuration', { ...id, variables: err.variables, detail: err.detail });
    return problemResponse(
      problem(500, 'Invalid configuration', {
        detail: err.detail,
        errors: err.variables.map((v) => ({ field: v, message: 'invalid Worker variable' })),
        ...id,
      }),
      requestId,
    );
  }
  if (err instanceof HTTPException) {
    const title = TITLES[err.status] ?? 'HTTP error';
    return problemResponse(problem(err.status, title, { detail: err.message || title, ...id }), requestId);
  }
  log('error', 'unhandled error', { ...id, path: c.req.path, error: err });
  return problemResponse(problem(500, 'Internal error', id), requestId);
}
