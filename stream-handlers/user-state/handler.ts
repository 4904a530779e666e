import type { KinesisStreamRecord } from 'aws-lambda';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import type { UserStateStore } from '../../shared/ports/user-state-store';
import { loadStreamConfig } from '../common/config';
import { createItemLookup } from '../common/item-lookup';
import { type BatchReport, kinesisBatchHandler } from '../common/kinesis-handler';
import { applyBatchToUsers, type UserBatchOptions } from './apply-batch';
import { UserStateCache } from './state-cache';

export interface UserStateDeps extends Omit<UserBatchOptions, 'maxRaces'> {
  readonly users: UserStateStore;
}

/** Applies one batch and turns the summary into the shell's report. */
async function applyAndReport(
  deps: UserStateDeps,
  records: readonly KinesisStreamRecord[],
): Promise<BatchReport> {
  const { users, ...opts } = deps;
  const summary = await applyBatchToUsers(users, records, opts);
  return {
    failures: summary.failures,
    counts: {
      EventsDecoded: summary.eventsDecoded,
      UsersWritten: summary.usersWritten,
    },
    lagsMs: summary.lagsMs,
  };
}

/**
 * Builds the Kinesis handler over a user-state store (plus, optionally, the item lookup and the
 * change feed). The batch is applied up front (grouped by user, one write per user),
 * then Powertools reports the records of failed users by sequence number so Lambda retries from
 * the first of them.
 */
export function createUserStateHandler(deps: UserStateDeps) {
  return kinesisBatchHandler('UserState', (records) => applyAndReport(deps, records));
}

let lambdaHandler: ReturnType<typeof createUserStateHandler> | undefined;

/** The Lambda entry point; clients are created once per container, on first use. */
export const handler: ReturnType<typeof createUserStateHandler> = (event, context) => {
  if (!lambdaHandler) {
    const config = loadStreamConfig();
    const doc = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
    const prefix = config.ATTUNE_TABLE_PREFIX;
    lambdaHandler = createUserStateHandler({
      users: new DynamoUserStateStore(doc, prefix),
      items: createItemLookup(new DynamoItemCatalog(doc, prefix)),
      changes: new DynamoChangeFeed(doc, prefix),
      writeMode: config.STATE_WRITE_MODE,
      cache: new UserStateCache(config.USER_STATE_CACHE_ROWS),
    });
  }
  return lambdaHandler(event, context);
};
