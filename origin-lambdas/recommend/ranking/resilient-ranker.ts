import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type ModelEndpoint, ModelVersionRefusedError } from '../../../shared/ports/model-endpoint';
import { checkFeatureMatrix } from '../../../shared/ranking/select-features';
import type { RankingRequest } from '../../../shared/schemas/ranking';
import { withTimeout } from '../../../shared/timeout';
import { logger as defaultLogger, metrics as defaultMetrics } from '../../common/observability';
import { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import { scoreGuard } from './score-guard';

/** Which scorer produced a ranking. */
export type Scorer = 'endpoint' | 'cpu-fallback' | 'heuristic';

/** Scores for every row of the request, always exactly `rows` of them, each in [0, 1]. */
export interface RankOutcome {
  readonly scores: number[];
  readonly model_version: string;
  readonly scorer: Scorer;
  /** Scores that were NaN, infinite or outside [0, 1] and got replaced. */
  readonly replaced: number;
}

/** Metric names this module emits (all unit Count). */
export const RANKER_METRICS = {
  /** Per rank call: 1 when anything but the endpoint scored it, else 0. */
  fallback: 'RankerFallback',
  /** Per rank call: how many scores were replaced. */
  scoresReplaced: 'ScoresReplaced',
  /** 1 each time the breaker opens (from closed or after a failed half-open trial). */
  breakerOpen: 'BreakerOpen',
  /** 1 each time the endpoint refused the asked model version and the default variant scored instead. */
  variantRefused: 'RankerVariantRefused',
} as const;

/** model_version of heuristic rankings, by what they ordered on. */
export const HEURISTIC_VERSIONS = { popularity: 'popularity-fallback', none: 'constant-fallback' } as const;

/** The slice of Powertools Metrics the ranker uses. */
export interface RankerMetricsSink {
  addMetric(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): unknown;
  publishStoredMetrics(): unknown;
}

/** The slice of the Powertools Logger the ranker uses. */
export type RankerLog = Pick<Logger, 'warn'>;

export interface ResilientRankerOptions {
  /** The model endpoint (SageMaker); its calls go through the breaker and the timeout. */
  endpoint: ModelEndpoint;
  /** In-process scorer of the same model (OnnxCpuModelEndpoint); unset skips straight to the heuristic. */
  fallback?: ModelEndpoint;
  /** Budget of one endpoint call. @default 150 */
  timeoutMs?: number;
  /** Budget of one fallback call (its first call also loads the model). @default 500 */
  fallbackTimeoutMs?: number;
  /** Breaker tuning. @default 5 failures, 10 s cooldown, Date.now */
  breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  /** Feature the heuristic orders by when present in the request. @default 'popularity' */
  heuristicFeature?: string;
  /** @default the origin's Powertools metrics */
  metrics?: RankerMetricsSink;
  /** @default the origin's Powertools logger */
  logger?: RankerLog;
}

/**
 * Ranks all candidates in one call and never throws: the endpoint first (guarded by a circuit
 * breaker and a timeout), then the same model in-process on the CPU, then a heuristic over the
 * request's own features. Every score that comes back is checked: wrong counts fall through to
 * the next scorer, NaN and out-of-range values are replaced and counted.
 */
export class ResilientRanker {
  readonly #endpoint: ModelEndpoint;
  readonly #fallback: ModelEndpoint | undefined;
  readonly #timeoutMs: number;
  readonly #fallbackTimeoutMs: number;
  readonly #heuristicFeature: string;
  readonly #metrics: RankerMetricsSink;
  readonly #logger: RankerLog;
  readonly #breaker: CircuitBreaker;

  constructor(opts: ResilientRankerOptions) {
    this.#endpoint = opts.endpoint;
    this.#fallback = opts.fallback;
    this.#timeoutMs = opts.timeoutMs ?? 150;
    this.#fallbackTimeoutMs = opts.fallbackTimeoutMs ?? 500;
    this.#heuristicFeature = opts.heuristicFeature ?? 'popularity';
    this.#metrics = opts.metrics ?? defaultMetrics;
    this.#logger = opts.logger ?? defaultLogger;
    this.#breaker = new CircuitBreaker({
      ...opts.breaker,
      onStateChange: (from, to) => {
        if (to === 'open') this.#metrics.addMetric(RANKER_METRICS.breakerOpen, MetricUnit.Count, 1);
        this.#logger.warn(`model endpoint circuit ${from} -> ${to}`);
      },
    });
  }

  /** The endpoint breaker's state, for health checks and tests. */
  get breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /**
   * Scores `request.rows` candidates. Resolves with the scorer that answered; never rejects.
   * @param options.timeoutMs endpoint budget for this call instead of the configured one
   * @param options.modelVersion model version to score with (an experiment variant's); when the
   * endpoint refuses it, the same call asks the default variant within what is left of the budget,
   * so a bad version costs a round trip but never a failure the breaker counts. The CPU fallback
   * scores with its own version. The outcome's `model_version` is always the one that scored.
   */
  async rank(
    request: RankingRequest,
    options: { timeoutMs?: number; modelVersion?: string } = {},
  ): Promise<RankOutcome> {
    const failures: string[] = [];
    const malformed = checkFeatureMatrix(request);
    // A malformed request is the caller's bug, not the endpoint's: keep it away from the breaker.
    if (malformed) failures.push(`request ${malformed.field}: ${malformed.message}`);
    else {
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      try {
        const outcome = await this.#breaker.run(() =>
          this.#scoreEndpoint(request, timeoutMs, options.modelVersion),
        );
        return this.#finish({ ...outcome, scorer: 'endpoint' }, failures);
      } catch (err) {
        failures.push(`endpoint: ${reasonOf(err)}`);
      }
      if (this.#fallback) {
        try {
          const outcome = await this.#score(
            this.#fallback,
            request,
            this.#fallbackTimeoutMs,
            'cpu ranker',
            options.modelVersion,
          );
          return this.#finish({ ...outcome, scorer: 'cpu-fallback' }, failures);
        } catch (err) {
          failures.push(`cpu fallback: ${reasonOf(err)}`);
        }
      }
    }
    return this.#finish(this.#heuristic(request, malformed === undefined), failures);
  }

  /** The endpoint call the breaker runs: the asked variant, else the default one (a refusal is not a failure). */
  async #scoreEndpoint(
    request: RankingRequest,
    timeoutMs: number,
    modelVersion: string | undefined,
  ): Promise<Omit<RankOutcome, 'scorer'>> {
    if (!modelVersion) return this.#score(this.#endpoint, request, timeoutMs, 'model endpoint');
    const started = performance.now();
    try {
      return await this.#score(this.#endpoint, request, timeoutMs, 'model endpoint', modelVersion);
    } catch (err) {
      if (!(err instanceof ModelVersionRefusedError)) throw err;
      this.#metrics.addMetric(RANKER_METRICS.variantRefused, MetricUnit.Count, 1);
      this.#logger.warn('model version refused; ranking with the default variant', {
        model_version: modelVersion,
        reason: err.message,
      });
      const left = Math.max(1, Math.floor(timeoutMs - (performance.now() - started)));
      return this.#score(this.#endpoint, request, left, 'model endpoint');
    }
  }

  async #score(
    scorer: ModelEndpoint,
    request: RankingRequest,
    timeoutMs: number,
    what: string,
    modelVersion?: string,
  ): Promise<Omit<RankOutcome, 'scorer'>> {
    const options = modelVersion ? { timeoutMs, modelVersion } : { timeoutMs };
    const res = await withTimeout(scorer.rank(request, options), timeoutMs, what);
    // Inside the breaker's call: an answer with the wrong number of scores counts as a failure.
    return { ...scoreGuard(res.scores, request.rows), model_version: res.model_version };
  }

  /** Orders by the heuristic feature's column when the request carries one, else all zeros. */
  #heuristic(request: RankingRequest, sound: boolean): RankOutcome {
    const width = request.feature_names.length;
    const col = sound ? request.feature_names.indexOf(this.#heuristicFeature) : -1;
    const raw = Array.from({ length: request.rows }, (_, r) =>
      col < 0 ? 0 : (request.features[r * width + col] as number),
    );
    return {
      ...scoreGuard(raw, request.rows),
      model_version: col < 0 ? HEURISTIC_VERSIONS.none : HEURISTIC_VERSIONS.popularity,
      scorer: 'heuristic',
    };
  }

  #finish(outcome: RankOutcome, failures: readonly string[]): RankOutcome {
    const fellBack = outcome.scorer !== 'endpoint';
    if (fellBack) {
      this.#logger.warn(`ranked by ${outcome.scorer}`, { failures, model_version: outcome.model_version });
    }
    this.#metrics.addMetric(RANKER_METRICS.fallback, MetricUnit.Count, fellBack ? 1 : 0);
    this.#metrics.addMetric(RANKER_METRICS.scoresReplaced, MetricUnit.Count, outcome.replaced);
    this.#metrics.publishStoredMetrics();
    return outcome;
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
