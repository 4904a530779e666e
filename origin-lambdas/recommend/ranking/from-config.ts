import type { ModelEndpoint } from '../../../shared/ports/model-endpoint';
import type { OriginConfig } from '../../common/config';
import { logger } from '../../common/observability';
import { ResilientRanker } from './resilient-ranker';

/**
 * Builds the in-process copy of the model from a bundle path. Injected by the entry point: the
 * native onnxruntime module is not part of the Lambda bundles, so only builds that ship it
 * (the local origin, a Lambda with the onnxruntime layer) pass one.
 */
export type CpuModelFactory = (path: string) => ModelEndpoint & { load(): Promise<unknown> };

/** The configuration the ranker reads. */
export type RankerConfig = Pick<
  OriginConfig,
  | 'MODEL_TIMEOUT_MS'
  | 'FALLBACK_MODEL_PATH'
  | 'FALLBACK_MODEL_TIMEOUT_MS'
  | 'MODEL_BREAKER_FAILURES'
  | 'MODEL_BREAKER_COOLDOWN_MS'
>;

/**
 * Builds the container's ResilientRanker over `endpoint`, with the in-process CPU fallback when
 * `FALLBACK_MODEL_PATH` is set. The fallback model starts loading right away (in Lambda's init
 * phase, on its boosted CPU), so the first fallback call does not pay for the load.
 */
export function createResilientRanker(
  config: RankerConfig,
  endpoint: ModelEndpoint,
  cpuModel?: CpuModelFactory,
): ResilientRanker {
  let fallback: ModelEndpoint | undefined;
  if (config.FALLBACK_MODEL_PATH && cpuModel) {
    const cpu = cpuModel(config.FALLBACK_MODEL_PATH);
    cpu.load().catch((err: Error) => logger.warn('cpu fallback model did not load', { reason: err.message }));
    fallback = cpu;
  }
  return new ResilientRanker({
    endpoint,
    ...(fallback ? { fallback } : {}),
    timeoutMs: config.MODEL_TIMEOUT_MS,
    fallbackTimeoutMs: config.FALLBACK_MODEL_TIMEOUT_MS,
    breaker: {
      failureThreshold: config.MODEL_BREAKER_FAILURES,
      cooldownMs: config.MODEL_BREAKER_COOLDOWN_MS,
    },
  });
}
