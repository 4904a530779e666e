import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics } from '../../origin-lambdas/common/observability';
import { openSearchIndexFor } from '../../origin-lambdas/common/opensearch-index-for';
import type { VectorIndex } from '../../shared/ports/vector-index';
import { applyItemChanges, sequenceOf } from './apply';
import { loadItemIndexerConfig } from './config';

export interface ItemIndexerDeps {
  /** Where item vectors go: the OpenSearch adapter in Lambda, any VectorIndex in tests. */
  readonly index: VectorIndex;
}

/**
 * The DynamoDB Streams handler of the items table: the batch is applied up front (one bulk upsert,
 * one bulk delete), counts go out as EMF, and Powertools turns the failed records into a partial
 * batch response by sequence number.
 */
export function createItemIndexerHandler(deps: ItemIndexerDeps) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const report = await applyItemChanges(deps.index, event.Records);
    for (const [name, value] of Object.entries(report.counts))
      metrics.addMetric(`ItemIndexer${name}`, MetricUnit.Count, value);
    metrics.addMetric('ItemIndexerRecordFailures', MetricUnit.Count, report.failures.size);
    metrics.publishStoredMetrics();
    if (report.failures.size) {
      logger.warn('item indexer batch had failures', {
        failed: report.failures.size,
        first: [...report.failures.values()][0]?.message,
      });
    }
    const recordHandler = async (record: DynamoDBRecord) => {
      const err = report.failures.get(sequenceOf(record));
      if (err) throw err;
    };
    return processPartialResponse(event, recordHandler, processor, { context });
  };
}

let lambdaHandler: ReturnType<typeof createItemIndexerHandler> | undefined;

/** The Lambda entry point; the OpenSearch client is created once per container, on first use. */
export const handler: ReturnType<typeof createItemIndexerHandler> = (event, context) => {
  lambdaHandler ??= createItemIndexerHandler({ index: openSearchIndexFor(loadItemIndexerConfig()) });
  return lambdaHandler(event, context);
};
