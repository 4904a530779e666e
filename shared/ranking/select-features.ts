import type { RankingRequest } from '../schemas/ranking';

/** Why a request's features cannot feed a model; `field` is the request field at fault. */
export interface FeatureSelectionFailure {
  readonly ok: false;
  readonly field: 'feature_names' | 'features';
  readonly message: string;
  /** Declared features the request does not carry. */
  readonly missing: readonly string[];
  /** Names the request carries more than once. */
  readonly duplicates: readonly string[];
}

/** The declared columns of every row, row-major, ready for a `[rows, declared.length]` float32 tensor. */
export interface FeatureSelectionSuccess {
  readonly ok: true;
  readonly rows: number;
  readonly matrix: Float32Array;
}

export type FeatureSelection = FeatureSelectionSuccess | FeatureSelectionFailure;

/** Thrown by `selectFeaturesOrThrow`; carries the same facts as a FeatureSelectionFailure. */
export class FeatureSchemaError extends Error {
  override readonly name = 'FeatureSchemaError';
  constructor(readonly failure: FeatureSelectionFailure) {
    super(`${failure.field}: ${failure.message}`);
  }
}

type Matrix = Pick<RankingRequest, 'feature_names' | 'rows' | 'features'>;

/**
 * Checks a request's shape on its own: no name twice (a column would be ambiguous) and a matrix
 * of exactly `rows x feature_names.length` values. Returns the failure, or undefined when sound.
 */
export function checkFeatureMatrix(request: Matrix): FeatureSelectionFailure | undefined {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const n of request.feature_names) (seen.has(n) ? duplicates : seen).add(n);
  if (duplicates.size > 0) {
    const dup = [...duplicates];
    return failure('feature_names', `duplicated feature name(s) [${dup.join(', ')}]`, [], dup);
  }
  const want = request.rows * request.feature_names.length;
  if (request.features.length !== want) {
    return failure(
      'features',
      `expected ${request.rows} x ${request.feature_names.length} = ${want} values, got ${request.features.length}`,
    );
  }
  return undefined;
}

/**
 * Picks the model's `declared` feature columns out of a request by name. The request may carry a
 * superset of the declared names in any order (the origin sends every feature it computes), so a
 * model trained on fewer features keeps working when the origin learns new ones; a declared name
 * the request lacks is a failure naming it, never a silently zero-filled column.
 */
export function selectFeatures(request: Matrix, declared: readonly string[]): FeatureSelection {
  const bad = checkFeatureMatrix(request);
  if (bad) return bad;
  const { feature_names: names, rows, features } = request;
  const at = new Map(names.map((n, i) => [n, i]));
  const missing = declared.filter((n) => !at.has(n));
  if (missing.length > 0) {
    return failure(
      'feature_names',
      `missing declared feature(s) [${missing.join(', ')}]; the model declares [${declared.join(', ')}]`,
      missing,
    );
  }
  if (names.length === declared.length && names.every((n, i) => n === declared[i])) {
    return { ok: true, rows, matrix: Float32Array.from(features) };
  }
  const columns = declared.map((n) => at.get(n) as number);
  const width = names.length;
  const out = columns.length;
  const matrix = new Float32Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < out; c++)
      matrix[r * out + c] = features[r * width + (columns[c] as number)] as number;
  }
  return { ok: true, rows, matrix };
}

/** `selectFeatures` for in-process callers: the matrix, or a FeatureSchemaError. */
export function selectFeaturesOrThrow(request: Matrix, declared: readonly string[]): Float32Array {
  const s = selectFeatures(request, declared);
  if (!s.ok) throw new FeatureSchemaError(s);
  return s.matrix;
}

function failure(
  field: FeatureSelectionFailure['field'],
  message: string,
  missing: readonly string[] = [],
  duplicates: readonly string[] = [],
): FeatureSelectionFailure {
  return { ok: false, field, message, missing, duplicates };
}
