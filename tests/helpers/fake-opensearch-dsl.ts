/** Error envelope and query-DSL evaluation of the fake OpenSearch (`fake-opensearch.ts`). */

export type Json = Record<string, unknown>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(status));
  }
}

/** OpenSearch's error envelope. */
export function osError(status: number, type: string, reason: string, extra: Json = {}): HttpError {
  const cause = { type, reason, ...extra };
  return new HttpError(status, { error: { root_cause: [cause], ...cause }, status });
}

/** The filter clauses the adapter sends, evaluated like OpenSearch on keyword fields. */
export function matches(query: Json, id: string, source: Json): boolean {
  const [type, spec] = Object.entries(query)[0] as [string, Json];
  const field = () => Object.entries(spec)[0] as [string, unknown];
  const values = (f: string) => {
    const v = source[f];
    return Array.isArray(v) ? v : v === undefined ? [] : [v];
  };
  switch (type) {
    case 'match_all':
      return true;
    case 'ids':
      return (spec.values as string[]).includes(id);
    case 'term': {
      const [f, v] = field();
      const want = typeof v === 'object' && v !== null ? (v as { value: unknown }).value : v;
      return values(f).includes(want);
    }
    case 'terms': {
      const [f, v] = field();
      return values(f).some((x) => (v as unknown[]).includes(x));
    }
    case 'bool': {
      const list = (k: string) => {
        const c = spec[k];
        return (Array.isArray(c) ? c : c ? [c] : []) as Json[];
      };
      return (
        list('filter').every((q) => matches(q, id, source)) &&
        list('must').every((q) => matches(q, id, source)) &&
        !list('must_not').some((q) => matches(q, id, source)) &&
        (list('should').length === 0 || list('should').some((q) => matches(q, id, source)))
      );
    }
    default:
      throw osError(400, 'parsing_exception', `unknown query [${type}]`);
  }
}
