import { type RelatedResponse, relatedResponseSchema } from '../../../shared/schemas/related';
import { callOrigin, OriginError } from '../origin/origin-client';
import { type EdgeRelatedQuery, originRelatedQuery, relatedPath } from './query';

/** Options for {@link RelatedOrigin}. */
export interface RelatedOriginOptions {
  /** Origin base URL without a trailing slash. */
  readonly baseUrl: string;
  /** Budget for the call; past it the edge serves a cached or fallback list. */
  readonly timeoutMs: number;
  /** Propagated as `x-request-id` so origin logs join edge logs. */
  readonly requestId: string;
}

/** What the origin said: an answer, or a client error (bad input, unknown item) to pass on. */
export type RelatedOriginAnswer =
  | { readonly kind: 'ok'; readonly body: RelatedResponse; readonly cacheControl: string }
  | {
      readonly kind: 'client-error';
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
    };

/** HTTP client for the origin's `GET /v1/items/:id/related`. */
export class RelatedOrigin {
  constructor(private readonly options: RelatedOriginOptions) {}

  /**
   * Asks the origin for an item's related items. A 4xx is the caller's mistake and comes back
   * as `client-error`; anything else that is not a valid 200 is the origin's failure.
   * @throws OriginError on a network error, a timeout, a 5xx or an invalid body.
   */
  async related(itemId: string, query: EdgeRelatedQuery): Promise<RelatedOriginAnswer> {
    const res = await callOrigin(
      this.options,
      `${relatedPath(itemId)}?${originRelatedQuery(query)}`,
      { method: 'GET' },
      this.options.timeoutMs,
    );
    if (res.status >= 400 && res.status < 500 && res.status !== 429) {
      return {
        kind: 'client-error',
        status: res.status,
        contentType: res.headers.get('content-type') ?? 'application/problem+json',
        body: await res.text(),
      };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new OriginError(`origin answered ${res.status}`);
    }
    const parsed = relatedResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new OriginError('origin answered related items that failed validation');
    return { kind: 'ok', body: parsed.data, cacheControl: res.headers.get('cache-control') ?? '' };
  }
}
