import { Duration } from 'aws-cdk-lib';

/**
 * Alarm thresholds, kept as data (docs/operations.md explains each alarm from these values).
 * Durations and latencies in milliseconds, rates in percent.
 */
export const ALARM_THRESHOLDS = {
  /** Lambda Duration p95 per origin function. */
  durationP95Ms: { recommend: 400, ingest: 200, admin: 2000 },
  /** Errors / Invocations per function. */
  errorRatePercent: 1,
  /** HTTP API Latency p95 (whole request, gateway included). */
  apiLatencyP95Ms: 600,
  /** HTTP API 5xx / Count. */
  api5xxRatePercent: 1,
  /** Age of the oldest unread record: how stale user state and counters are. */
  iteratorAgeMs: 60_000,
  /** SageMaker ModelLatency p95, in the metric's unit (microseconds). */
  modelLatencyP95Micros: 100_000,
  /** Invocation5XXErrors per minute. */
  model5xxErrors: 5,
  /** FallbackResponses / Recommendations: share of answers not fully personalized. */
  fallbackRatePercent: 5,
  /** EmptyResponses per minute: the ladder should never end empty. */
  emptyResponses: 0,
} as const;

/** Period and datapoints of every alarm: 3 of 5 one-minute periods rides out a single blip. */
export const ALARM_EVALUATION = {
  period: Duration.minutes(1),
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
} as const;
