/**
 * The custom CloudWatch metrics the origin emits through Powertools EMF and the CDK
 * observability stack alarms on. One place, so a renamed metric breaks the build, not the alarm.
 */

/** CloudWatch namespace of every custom metric (POWERTOOLS_METRICS_NAMESPACE of each function). */
export const METRICS_NAMESPACE = 'Attune';

/** Powertools adds this dimension to every metric, valued with POWERTOOLS_SERVICE_NAME. */
export const SERVICE_DIMENSION = 'service';

/** Metric names, all unit Count except `fallbackLevel` (the level itself, 0..5, unit None). */
export const METRICS = {
  /** One per recommendation response served by the origin; the denominator of the rates. */
  recommendations: 'Recommendations',
  /** The response's `fallback_level` (0 = fully personalized, 5 = compiled fallback). */
  fallbackLevel: 'FallbackLevel',
  /** One per response served with `fallback_level` > 0. */
  fallbackResponses: 'FallbackResponses',
  /** One per response that carried no items at all. */
  emptyResponses: 'EmptyResponses',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];
