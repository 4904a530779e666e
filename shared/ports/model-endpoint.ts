import type { RankingRequest, RankingResponse } from '../schemas/ranking';
import type { DependencyHealth } from './event-stream';

/** Per-call options of `ModelEndpoint.rank`. */
export interface RankOptions {
  /** Budget of this call instead of the adapter's own. */
  timeoutMs?: number;
  /**
   * The model version to score with, for an endpoint that serves several (SageMaker production
   * variants, e.g. for a model A/B test). An endpoint that serves one version ignores it; either
   * way the answer's `model_version` names the version that actually scored.
   */
  modelVersion?: string;
}

/** Port: the ranking model endpoint (SageMaker in production, the local model server here). */
export interface ModelEndpoint {
  rank(request: RankingRequest, options?: RankOptions): Promise<RankingResponse>;
  health(): Promise<DependencyHealth>;
}

/**
 * Raised by `rank` when the endpoint refuses the asked `modelVersion` (no such variant, or its
 * bundle cannot serve). The endpoint itself is fine: the caller may ask again without a version.
 */
export class ModelVersionRefusedError extends Error {
  override readonly name = 'ModelVersionRefusedError';
  constructor(
    readonly modelVersion: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
