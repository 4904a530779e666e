import type { TableKey } from '../../../shared/tables';
import type { DynamoAction } from '../constructs/table-access';

/** The Lambda functions of the API stack. */
export type ApiFunctionKey =
  | 'recommend'
  | 'ingest'
  | 'admin'
  | 'adminSweep'
  | 'lists'
  | 'userState'
  | 'banditPosteriors'
  | 'trending';

/** The Kinesis consumers among them, each with its own event source mapping. */
export type StreamFunctionKey = Extract<ApiFunctionKey, 'userState' | 'banditPosteriors' | 'trending'>;
export const STREAM_FUNCTIONS: readonly StreamFunctionKey[] = ['userState', 'banditPosteriors', 'trending'];

/** Construct id, handler entry (relative to the repo root) and export, and Powertools service name. */
export interface ApiFunctionSpec {
  readonly id: string;
  readonly entry: string;
  /** Exported handler name. @default 'handler' */
  readonly handler?: string;
  readonly serviceName: string;
}

export const API_FUNCTIONS: Record<ApiFunctionKey, ApiFunctionSpec> = {
  recommend: {
    id: 'Recommend',
    entry: 'origin-lambdas/recommend/handler.ts',
    serviceName: 'attune-recommend',
  },
  ingest: { id: 'Ingest', entry: 'origin-lambdas/ingest/handler.ts', serviceName: 'attune-ingest' },
  admin: { id: 'Admin', entry: 'origin-lambdas/admin/handler.ts', serviceName: 'attune-admin' },
  adminSweep: {
    id: 'AdminSweep',
    entry: 'origin-lambdas/admin/handler.ts',
    handler: 'sweep',
    serviceName: 'attune-admin-sweep',
  },
  lists: { id: 'Lists', entry: 'origin-lambdas/lists/handler.ts', serviceName: 'attune-lists' },
  userState: {
    id: 'UserState',
    entry: 'stream-handlers/user-state/handler.ts',
    serviceName: 'attune-user-state',
  },
  banditPosteriors: {
    id: 'BanditPosteriors',
    entry: 'stream-handlers/bandit-posteriors/handler.ts',
    serviceName: 'attune-bandit-posteriors',
  },
  trending: { id: 'Trending', entry: 'stream-handlers/trending/handler.ts', serviceName: 'attune-trending' },
};

const GET = 'dynamodb:GetItem';
const BATCH_GET = 'dynamodb:BatchGetItem';
const QUERY = 'dynamodb:Query';
const SCAN = 'dynamodb:Scan';
const PUT = 'dynamodb:PutItem';
const UPDATE = 'dynamodb:UpdateItem';
const BATCH_WRITE = 'dynamodb:BatchWriteItem';
const DESCRIBE = 'dynamodb:DescribeTable';

/**
 * Per function and table, exactly the DynamoDB calls its adapters send (the ingest function
 * writes only to Kinesis). Read from the code, not guessed: change it with the adapters.
 * TransactWriteItems has no action of its own: IAM authorizes each item by its PutItem,
 * UpdateItem or ConditionCheckItem, so the stream consumers' batched writes need no more.
 */
export const API_TABLE_ACCESS: Record<ApiFunctionKey, Partial<Record<TableKey, readonly DynamoAction[]>>> = {
  // DynamoItemCatalog (getItems, popular by_category, health); the user partition Query and the
  // last good list Put on users; lists; serving data: RuleStore.current (Query), CampaignStore.all
  // (Scan), DynamoPosteriorReader (BatchGet); DynamoTrendingReader (Query); the item cache's
  // change feed (BatchGet); running experiments (Scan).
  recommend: {
    items: [GET, BATCH_GET, QUERY, DESCRIBE],
    lists: [GET, BATCH_GET, QUERY],
    users: [GET, BATCH_GET, QUERY, PUT],
    rules: [QUERY],
    campaigns: [SCAN],
    posteriors: [BATCH_GET],
    trending: [QUERY],
    changes: [BATCH_GET],
    // ExperimentStore.list: the running experiments whose variants override the rules.
    experiments: [SCAN],
  },
  ingest: {},
  // origin-lambdas/admin stores, the catalog (campaign embeddings, health) and DynamoUserPrefs.
  admin: {
    adminJobs: [GET, PUT, UPDATE],
    adminKeys: [GET, PUT, SCAN, UPDATE],
    audit: [BATCH_WRITE, PUT, QUERY],
    campaigns: [GET, PUT, QUERY, SCAN],
    rules: [GET, PUT, QUERY],
    experiments: [GET, PUT, SCAN],
    posteriors: [BATCH_GET, PUT, QUERY],
    // Profile Query, deletion BatchWrite, prefs Get/Update.
    users: [GET, QUERY, UPDATE, BATCH_WRITE],
    // Export Get, deletion Scan (per-user list ids) and BatchWrite.
    lists: [GET, SCAN, BATCH_WRITE],
    items: [BATCH_GET, DESCRIBE],
  },
  // campaigns/sweep.ts: CampaignStore.all (Scan), replace (conditional Put, Get on a lost race), audit write.
  adminSweep: {
    campaigns: [GET, PUT, SCAN],
    audit: [PUT],
  },
  // origin-lambdas/lists: DynamoListSources (Scan of items and users), DynamoTrendingReader
  // (Query per scope), DynamoItemCatalog.putList.
  lists: {
    items: [SCAN],
    users: [SCAN],
    trending: [QUERY],
    lists: [PUT],
  },
  // DynamoUserStateStore (BatchGet, conditional Puts alone or in transactions, Get/BatchGet after
  // a lost race), the item lookup's BatchGet, the change feed's UpdateItem.
  userState: {
    users: [GET, BATCH_GET, PUT],
    items: [BATCH_GET],
    changes: [UPDATE],
  },
  // DynamoCounterStore (fenced UpdateItems alone or in transactions, watermark Get after a refused
  // one, ledger Get/Put in the same table), the change feed,
  // ExperimentStore.list (Scan) for the running experiments whose variants it counts, and the
  // per-user daily cap rows in users (a second DynamoCounterStore) with CampaignStore.all (Scan)
  // for the campaigns' time zones.
  banditPosteriors: {
    posteriors: [GET, PUT, UPDATE],
    changes: [UPDATE],
    experiments: [SCAN],
    users: [GET, PUT, UPDATE],
    campaigns: [SCAN],
  },
  trending: {
    trending: [GET, PUT, UPDATE],
    items: [BATCH_GET],
  },
};
