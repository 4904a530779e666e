import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../common/observability';
import { loadListsConfig } from './config';
import type { ListJobReport } from './job';
import { type ListJobRunner, listJobFor } from './wire';

/** Metric names of the list job (namespace and service from common/observability). */
export const LIST_JOB_METRICS = {
  lists: 'ListsWritten',
  items: 'ListItemsRanked',
  duration: 'ListJobDuration',
} as const;

let job: ListJobRunner | undefined;

/**
 * Entry point of the scheduled rule (every five minutes): recomputes and stores the fallback and
 * cold-start lists. A failure throws, so it shows in the function's error metric and alarm; the
 * next scheduled run redoes the whole job.
 */
export const handler = async (): Promise<ListJobReport> => {
  job ??= listJobFor(loadListsConfig());
  try {
    const report = await job.run();
    logger.info('lists refreshed', { ...report });
    metrics.addMetric(LIST_JOB_METRICS.lists, MetricUnit.Count, report.lists);
    metrics.addMetric(LIST_JOB_METRICS.items, MetricUnit.Count, report.items);
    metrics.addMetric(LIST_JOB_METRICS.duration, MetricUnit.Milliseconds, report.ms);
    return report;
  } catch (err) {
    logger.error('list refresh failed', { error: err as Error });
    throw err;
  } finally {
    metrics.publishStoredMetrics();
  }
};
