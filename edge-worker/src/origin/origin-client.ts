import type { DependencyHealth } from '../../../shared/ports/event-stream';
import { type EdgeSnapshot, edgeSnapshotSchema } from '../../../shared/schemas/edge-slots';
import type { AttuneEvent } from '../../../shared/schemas/event';
import {
  type RecommendationResponse,
  recommendationResponseSchema,
} from '../../../shared/schemas/recommendation';

/** Options for {@link OriginClient}. */
export interface OriginClientOptions {
  /** Origin base URL without a trailing slash. */
  readonly baseUrl: string;
  /** Budget for one origin call; the edge falls back when it runs out. */
  readonly timeoutMs: number;
  /**
   * Budget for forwarding events: the client's 202 waits for the origin to confirm that the
   * events are on the stream, so an answer means they are stored.
   * @default 3000
   */
  readonly forwardTimeoutMs?: number;
  /** Propagated as `x-request-id` so origin logs join edge logs. */
  readonly requestId: string;
}

/** The origin ingest's answer: indexes in `rejected` refer to the forwarded array. */
export interface IngestAnswer {
  readonly accepted: number;
  readonly rejected: readonly {
    index: number;
    event_id?: string;
    errors: { field: string; message: string }[];
  }[];
}

/** Why an origin answer could not be used; the message goes to the logs. */
export class OriginError extends Error {
  override name = 'OriginError';

  /** The origin's HTTP status when it answered; absent for network errors and timeouts. */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** The origin refused the request itself (a 4xx other than 408 and 429): sending it again cannot help. */
  get refused(): boolean {
    return (
      this.status !== undefined &&
      this.status >= 400 &&
      this.status < 500 &&
      this.status !== 408 &&
      this.status !== 429
    );
  }
}

/** HTTP client for the origin API (the recommend and ingest Lambdas behind one base URL). */
export class OriginClient {
  constructor(private readonly options: OriginClientOptions) {}

  /**
   * `GET /v1/recommendations` with the given query.
   * @throws OriginError on a network error, a timeout, a non-200 status or an invalid body.
   */
  async recommend(query: URLSearchParams): Promise<RecommendationResponse> {
    const res = await this.call(`/v1/recommendations?${query}`, { method: 'GET' });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new OriginError(`origin answered ${res.status}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new OriginError('origin answered invalid JSON');
    }
    const parsed = recommendationResponseSchema.safeParse(body);
    if (!parsed.success)
      throw new OriginError(`origin answer failed validation: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  /**
   * `POST /v1/events` with a JSON array; resolves with the origin's per-event answer once the
   * origin has put the events on the stream.
   * @throws OriginError when the origin does not confirm the batch.
   */
  async forwardEvents(events: readonly AttuneEvent[]): Promise<IngestAnswer> {
    const res = await this.call(
      '/v1/events',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      },
      this.options.forwardTimeoutMs ?? 3000,
    );
    if (res.status !== 202) {
      await res.body?.cancel();
      throw new OriginError(`origin did not store ${events.length} events: ${res.status}`, res.status);
    }
    const body = (await res.json().catch(() => undefined)) as Partial<IngestAnswer> | undefined;
    if (typeof body?.accepted !== 'number') throw new OriginError('origin answered events without a count');
    return { accepted: body.accepted, rejected: Array.isArray(body.rejected) ? body.rejected : [] };
  }

  /**
   * `GET /v1/edge/snapshot`: campaign posteriors and status, and the surfaces' rules.
   * @throws OriginError on a network error, a timeout, a non-200 status or an invalid body.
   */
  async snapshot(): Promise<EdgeSnapshot> {
    const res = await this.call('/v1/edge/snapshot', { method: 'GET' });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new OriginError(`origin answered ${res.status} for the snapshot`);
    }
    const parsed = edgeSnapshotSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new OriginError('origin snapshot failed validation');
    return parsed.data;
  }

  /** `GET /health`, reduced to ok/detail; never throws. */
  async health(): Promise<DependencyHealth> {
    try {
      const res = await this.call('/health', { method: 'GET' });
      await res.body?.cancel();
      return { ok: res.ok, detail: `HTTP ${res.status}` };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  private call(path: string, init: RequestInit, timeoutMs = this.options.timeoutMs): Promise<Response> {
    return callOrigin(this.options, path, init, timeoutMs);
  }
}

/**
 * One request to the origin with the edge's request id and a deadline: the only place the edge
 * talks HTTP to the origin, so timeouts and unreachable origins read the same everywhere.
 * @throws OriginError on a network error or when `timeoutMs` runs out.
 */
export async function callOrigin(
  target: { readonly baseUrl: string; readonly requestId: string },
  path: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('x-request-id', target.requestId);
  try {
    return await fetch(`${target.baseUrl}${path}`, {
      ...init,
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new OriginError(
      timedOut ? `origin timed out after ${timeoutMs} ms` : `origin unreachable: ${String(error)}`,
    );
  }
}
