import { type ProblemDetails, problem, validationProblem } from '../../shared/schemas/problem';
import { rankingRequestSchema } from '../../shared/schemas/ranking';

/** A validated invocation: the feature matrix ready for the float32 input tensor. */
export type ParsedInvocation =
  | { readonly ok: true; readonly rows: number; readonly features: Float32Array }
  | { readonly ok: false; readonly problem: ProblemDetails };

/**
 * Parses a ranking request and checks it against the model's declared features: the names must
 * match in order (a reordered row would silently score garbage) and the matrix must be
 * `rows x feature_names.length`.
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
  const { feature_names, rows, features } = parsed.data;
  if (feature_names.length !== modelFeatures.length || feature_names.some((n, i) => n !== modelFeatures[i])) {
    return fail(
      fieldProblem(
        'feature_names',
        `expected [${modelFeatures.join(', ')}], got [${feature_names.join(', ')}]`,
      ),
    );
  }
  if (features.length !== rows * feature_names.length) {
    return fail(
      fieldProblem(
        'features',
        `expected ${rows} x ${feature_names.length} = ${rows * feature_names.length} values`,
      ),
    );
  }
  return { ok: true, rows, features: Float32Array.from(features) };
}

function fieldProblem(field: string, message: string): ProblemDetails {
  return validationProblem([{ path: [field], message }]);
}

function fail(p: ProblemDetails): ParsedInvocation {
  return { ok: false, problem: p };
}
