import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ValidationError } from '../../shared/errors';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  problem,
  validationProblem,
} from '../../shared/schemas/problem';
import { logger } from './observability';

export { ValidationError };

/** An error the client can act on, mapped to its status and problem title. */
export class ClientError extends Error {
  override name = 'ClientError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 428 | 429,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(title);
  }
}

export function problemResponse(body: ProblemDetails, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}

/** The one error mapper every origin app installs with `app.onError`. */
export function onError(err: Error, c: Context): Response {
  const requestId = (c.get('requestId') as string | undefined) ?? 'unknown';
  if (err instanceof ValidationError) return problemResponse(validationProblem(err.issues, requestId));
  if (err instanceof ClientError) {
    return problemResponse(problem(err.status, err.title, { detail: err.detail, request_id: requestId }));
  }
  if (err instanceof HTTPException) {
    return problemResponse(problem(err.status, err.message || 'HTTP error', { request_id: requestId }));
  }
  logger.error('unhandled error', { error: err, request_id: requestId, path: c.req.path });
  return problemResponse(problem(500, 'Internal error', { request_id: requestId }));
}
