import { selectFeatures } from '../../shared/ranking/select-features';
import { type ProblemDetails, problem, validationProblem } from '../../shared/schemas/problem';
import { rankingRequestSchema } from '../../shared/schemas/ranking';

/** A validated invocation: the feature matrix ready for the float32 input tensor. */
export type ParsedInvocation =
  | { readonly ok: true; readonly rows: number; readonly features: Float32Array }
  | { readonly ok: false; readonly problem: ProblemDetails };

/**
 * Parses a ranking request and selects the model's declared features from it by name: the
 * request may name a superset of them in any order, but must carry every declared one, no name
 * twice, and a matrix of `rows x feature_names.length` values. The result holds only the
 * declared columns, in declared order, for the `[rows, declared]` input tensor.
 */
export async function parseInvocation(
  req: Request,
  modelFeatures: readonly string[],
): Promise<ParsedInvocation> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return fail(
      problem(415, 'Unsupported media type', { detail: `expected application/json, got '${type}'` }),
    );
  }
  let json: unknown;
  try {
    json = await req.json();
  } catch {
    return fail(problem(400, 'Invalid request', { detail: 'body is not valid JSON' }));
  }
  const parsed = rankingRequestSchema.safeParse(json);
  if (!parsed.success) return fail(validationProblem(parsed.error.issues));
  const selected = selectFeatures(parsed.data, modelFeatures);
  if (!selected.ok) return fail(fieldProblem(selected.field, selected.message));
  return { ok: true, rows: selected.rows, features: selected.matrix };
}

function fieldProblem(field: string, message: string): ProblemDetails {
  return validationProblem([{ path: [field], message }]);
}

function fail(p: ProblemDetails): ParsedInvocation {
  return { ok: false, problem: p };
}
