import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { DependencyHealth } from '../../shared/ports/event-stream';
import {
  type ModelEndpoint,
  ModelVersionRefusedError,
  type RankOptions,
} from '../../shared/ports/model-endpoint';
import { rankerVariantName } from '../../shared/ranking/model-variant';
import {
  type RankingRequest,
  type RankingResponse,
  rankingResponseSchema,
} from '../../shared/schemas/ranking';
import { type ClientTarget, createSageMakerRuntimeClient } from '../common/aws-clients';

/**
 * Why a ranking call failed. `http` covers every failure of the call itself: an error status from
 * the endpoint (`status` set) or a transport failure such as a refused connection (`status` unset).
 */
export type ModelEndpointFailure = 'timeout' | 'http' | 'invalid_response';

/**
 * The error `SageMakerModelEndpoint.rank` throws for a failed call; callers branch on `reason`.
 * (A refused target variant is a ModelVersionRefusedError instead: the endpoint itself is fine.)
 */
export class ModelEndpointError extends Error {
  override readonly name = 'ModelEndpointError';
  constructor(
    readonly reason: ModelEndpointFailure,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SageMakerModelEndpointOptions {
  client: SageMakerRuntimeClient;
  endpointName: string;
  /** Budget for one `rank` call unless the call passes its own. @default 150 */
  timeoutMs?: number;
  /** Local model server only: `health()` GETs this `/ping` URL. Production SageMaker has no ping from outside. */
  pingUrl?: string;
}

const JSON_TYPE = 'application/json';

/** ModelEndpoint adapter over the SageMaker runtime `InvokeEndpoint` API (or the local model server). */
export class SageMakerModelEndpoint implements ModelEndpoint {
  readonly #client: SageMakerRuntimeClient;
  readonly #endpointName: string;
  readonly #timeoutMs: number;
  readonly #pingUrl: string | undefined;

  constructor(opts: SageMakerModelEndpointOptions) {
    this.#client = opts.client;
    this.#endpointName = opts.endpointName;
    this.#timeoutMs = opts.timeoutMs ?? 150;
    this.#pingUrl = opts.pingUrl;
  }

  /** Builds the adapter with the shared client factory; `target.endpoint` points at the local server. */
  static fromTarget(
    target: ClientTarget & Omit<SageMakerModelEndpointOptions, 'client'>,
  ): SageMakerModelEndpoint {
    const { endpoint, region, ...rest } = target;
    return new SageMakerModelEndpoint({
      client: createSageMakerRuntimeClient({ endpoint, region }),
      ...rest,
    });
  }

  /**
   * Scores `request.rows` candidates; throws ModelEndpointError on timeout, HTTP failure or a bad
   * answer. With `options.modelVersion` the call targets that version's production variant
   * (`TargetVariant`, named by `rankerVariantName`); a ValidationError for it (no such variant on
   * the endpoint, or a bundle it cannot serve) throws ModelVersionRefusedError.
   */
  async rank(request: RankingRequest, options: RankOptions = {}): Promise<RankingResponse> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const target = options.modelVersion ? rankerVariantName(options.modelVersion) : undefined;
    const command = new InvokeEndpointCommand({
      EndpointName: this.#endpointName,
      ContentType: JSON_TYPE,
      Accept: JSON_TYPE,
      Body: new TextEncoder().encode(JSON.stringify(request)),
      ...(target ? { TargetVariant: target } : {}),
    });
    let body: Uint8Array | undefined;
    try {
      body = (await this.#client.send(command, { abortSignal: signal })).Body;
    } catch (err) {
      const failure = classify(err, signal.aborted, timeoutMs, this.#endpointName);
      if (options.modelVersion && target && isValidationError(err)) {
        throw new ModelVersionRefusedError(
          options.modelVersion,
          `endpoint ${this.#endpointName} refused variant ${target} (model ${options.modelVersion}): ${failure.message}`,
          { cause: failure },
        );
      }
      throw failure;
    }
    return parseResponse(body, request.rows);
  }

  async health(): Promise<DependencyHealth> {
    if (!this.#pingUrl) return { ok: true, detail: 'not checked' };
    try {
      const res = await fetch(this.#pingUrl, { signal: AbortSignal.timeout(1000) });
      const json = (await res.json().catch(() => ({}))) as { model_version?: unknown };
      if (!res.ok) return { ok: false, detail: `ping answered ${res.status}` };
      return { ok: true, detail: `model ${String(json.model_version)}` };
    } catch (err) {
      return { ok: false, detail: `ping failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}

/** SageMaker's answer to a request it will not route, e.g. an unknown `TargetVariant`. */
function isValidationError(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'ValidationError' && e.$metadata?.httpStatusCode === 400;
}

function classify(err: unknown, aborted: boolean, timeoutMs: number, endpoint: string): ModelEndpointError {
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  // The SDK reports our abort as AbortError and its own timeouts as TimeoutError, but it also
  // renames a reset or broken socket (a stopped server) TimeoutError so that it gets retried.
  const sdkTimeout = e.name === 'TimeoutError' && e.code !== 'ECONNRESET' && e.code !== 'EPIPE';
  if (aborted || e.name === 'AbortError' || sdkTimeout) {
    return new ModelEndpointError(
      'timeout',
      `endpoint ${endpoint} did not answer within ${timeoutMs} ms`,
      undefined,
      {
        cause: err,
      },
    );
  }
  const status = e.$metadata?.httpStatusCode;
  const what = status ? `answered ${status}` : 'could not be reached';
  return new ModelEndpointError('http', `endpoint ${endpoint} ${what}: ${e.message ?? String(err)}`, status, {
    cause: err,
  });
}

function parseResponse(body: Uint8Array | undefined, rows: number): RankingResponse {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body ?? new Uint8Array()));
  } catch (err) {
    throw new ModelEndpointError(
      'invalid_response',
      'endpoint answered with a body that is not JSON',
      undefined,
      {
        cause: err,
      },
    );
  }
  const parsed = rankingResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelEndpointError(
      'invalid_response',
      `endpoint answer does not match the schema: ${parsed.error.message}`,
    );
  }
  if (parsed.data.scores.length !== rows) {
    throw new ModelEndpointError(
      'invalid_response',
      `expected ${rows} scores, got ${parsed.data.scores.length}`,
    );
  }
  return parsed.data;
}
