import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '../../../origin-lambdas/common/observability';
import { recordServing } from '../../../origin-lambdas/recommend/serving-metrics';
import { METRICS } from '../../../shared/metrics';

describe('serving metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('records the fallback level, fallback and empty counts per response', () => {
    const added: [string, number][] = [];
    vi.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
      added.push([name, value]);
      return metrics;
    });
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    recordServing({ fallback_level: 3, items: [] });
    recordServing({
      fallback_level: 0,
      items: [{ item_id: 'a', score: 1, position: 0, reasons: [], sponsored: false }],
    });
    expect(added).toEqual([
      [METRICS.recommendations, 1],
      [METRICS.fallbackLevel, 3],
      [METRICS.fallbackResponses, 1],
      [METRICS.emptyResponses, 1],
      [METRICS.recommendations, 1],
      [METRICS.fallbackLevel, 0],
      [METRICS.fallbackResponses, 0],
      [METRICS.emptyResponses, 0],
    ]);
  });
});
