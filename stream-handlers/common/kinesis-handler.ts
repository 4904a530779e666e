import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { logger, metrics } from '../../origin-lambdas/common/observability';
import { compareSequence, recordSequence } from './sequence';

/** What a batch application reports back to the shell. */
export interface BatchReport {
  /**
   * Error per failed event position (a record's sequence number, or `<sequence>.<index>` in a
   * packed record); Lambda redelivers from the lowest record.
   */
  readonly failures: Map<string, Error>;
  /** Counts to publish as EMF metrics, prefixed with the handler's name. */
  readonly counts: Record<string, number>;
  /** `event ts -> stored` of the events this batch stored, in ms. */
  readonly lagsMs?: readonly number[];
}

/**
 * The thin Kinesis handler every stream consumer shares: the batch is applied up front (grouped
 * by key, one write per key), metrics go out as EMF, and Powertools turns the failures into a
 * partial batch response by sequence number.
 */
export function kinesisBatchHandler(
  name: string,
  apply: (records: readonly KinesisStreamRecord[]) => Promise<BatchReport>,
) {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  return async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
    const report = await apply(event.Records);
    const byRecord = failuresByRecord(report.failures);
    for (const [metric, value] of Object.entries(report.counts))
      metrics.addMetric(`${name}${metric}`, MetricUnit.Count, value);
    metrics.addMetric(`${name}RecordFailures`, MetricUnit.Count, byRecord.size);
    const lags = report.lagsMs ?? [];
    if (lags.length) {
      metrics.addMetric(`${name}FreshnessMaxMs`, MetricUnit.Milliseconds, Math.max(...lags));
      const mean = lags.reduce((a, b) => a + b, 0) / lags.length;
      metrics.addMetric(`${name}FreshnessMeanMs`, MetricUnit.Milliseconds, Math.round(mean));
    }
    metrics.publishStoredMetrics();
    if (byRecord.size) {
      logger.warn(`${name} batch had failures`, {
        failed: byRecord.size,
        first: [...report.failures.values()][0]?.message,
      });
    }
    const recordHandler = async (record: KinesisStreamRecord) => {
      const err = byRecord.get(record.kinesis.sequenceNumber);
      if (err) throw err;
    };
    return processPartialResponse(event, recordHandler, processor, { context });
  };
}

/** A record fails when any of its events did, with the first error among them in stream order. */
export function failuresByRecord(failures: ReadonlyMap<string, Error>): Map<string, Error> {
  const out = new Map<string, Error>();
  for (const position of [...failures.keys()].sort(compareSequence)) {
    const seq = recordSequence(position);
    if (!out.has(seq)) out.set(seq, failures.get(position) as Error);
  }
  return out;
}
