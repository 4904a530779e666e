import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { logger, metrics } from '../../origin-lambdas/common/observability';
import type { UserStateStore } from '../../shared/ports/user-state-store';
import { loadStreamConfig } from '../common/config';
import { applyBatchToUsers } from './apply-batch';

const processor = new BatchProcessor(EventType.KinesisDataStreams);

/**
 * Builds the Kinesis handler over a user-state store. The batch is applied up front (grouped by
 * user, one write per user), then Powertools reports the records of failed users by sequence
 * number so Lambda retries from the first of them.
 */
export function createUserStateHandler(deps: { users: UserStateStore }) {
  return async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
    const summary = await applyBatchToUsers(deps.users, event.Records);
    metrics.addMetric('UserStateEventsDecoded', MetricUnit.Count, summary.eventsDecoded);
    metrics.addMetric('UserStateUsersWritten', MetricUnit.Count, summary.usersWritten);
    metrics.addMetric('UserStateRecordFailures', MetricUnit.Count, summary.failures.size);
    metrics.publishStoredMetrics();
    if (summary.failures.size) {
      logger.warn('user-state batch had failures', {
        failed: summary.failures.size,
        first: [...summary.failures.values()][0]?.message,
      });
    }
    const recordHandler = async (record: KinesisStreamRecord) => {
      const err = summary.failures.get(record.kinesis.sequenceNumber);
      if (err) throw err;
    };
    return processPartialResponse(event, recordHandler, processor, { context });
  };
}

let lambdaHandler: ReturnType<typeof createUserStateHandler> | undefined;

/** The Lambda entry point; clients are created once per container, on first use. */
export const handler = (event: KinesisStreamEvent, context: Context) => {
  if (!lambdaHandler) {
    const config = loadStreamConfig();
    const doc = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
    lambdaHandler = createUserStateHandler({
      users: new DynamoUserStateStore(doc, config.ATTUNE_TABLE_PREFIX),
    });
  }
  return lambdaHandler(event, context);
};
