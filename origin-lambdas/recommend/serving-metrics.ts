import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../../shared/metrics';
import type { RecommendationResponse } from '../../shared/schemas/recommendation';
import { metrics } from '../common/observability';

/**
 * Emits the serving metrics the observability stack alarms on, as one EMF line per response:
 * the fallback rate and empty responses are how on-call learns the feed is degrading.
 */
export function recordServing(response: Pick<RecommendationResponse, 'fallback_level' | 'items'>): void {
  metrics.addMetric(METRICS.recommendations, MetricUnit.Count, 1);
  metrics.addMetric(METRICS.fallbackLevel, MetricUnit.NoUnit, response.fallback_level);
  metrics.addMetric(METRICS.fallbackResponses, MetricUnit.Count, response.fallback_level > 0 ? 1 : 0);
  metrics.addMetric(METRICS.emptyResponses, MetricUnit.Count, response.items.length === 0 ? 1 : 0);
  metrics.publishStoredMetrics();
}
