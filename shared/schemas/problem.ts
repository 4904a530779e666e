/**
 * RFC 9457 problem details, built the same way at the edge and the origin so clients see one
 * error shape. `errors` names each offending field.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: { field: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Minimal shape of a zod issue, so this file needs no zod import. */
interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

export function fieldErrors(issues: readonly IssueLike[]): { field: string; message: string }[] {
  return issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : '(body)',
    message: i.message,
  }));
}

export function problem(status: number, title: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return { type: `https://attune.dev/problems/${slug(title)}`, title, status, ...extra };
}

export function validationProblem(issues: readonly IssueLike[], requestId?: string): ProblemDetails {
  const errors = fieldErrors(issues);
  return problem(400, 'Invalid request', {
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
    ...(requestId ? { request_id: requestId } : {}),
  });
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/(^-|-$)/g, '');
}
