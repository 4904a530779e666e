/**
 * DynamoDB table definitions: the one source of truth for key schema, GSIs and TTL attributes.
 * The CDK data stack and the local stack both build their tables from this data, and a test
 * proves the two agree. Pure data so that `shared/` stays runtime-neutral.
 */

export type AttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface GlobalIndexDef {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableDef {
  /** Logical name; the physical name is `${prefix}-${logical}`. */
  readonly logicalName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes?: readonly GlobalIndexDef[];
  /** Attribute holding an epoch-seconds expiry, if the table expires items. */
  readonly ttlAttribute?: string;
  /** What the table holds, for docs and the CDK description. */
  readonly purpose: string;
  /** DynamoDB Streams view of the table's changes, when a consumer reads them. @default - no stream */
  readonly stream?: StreamView;
}

/** The DynamoDB Streams view types (what each change record carries). */
export type StreamView = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

const s = (name: string): KeyAttribute => ({ name, type: 'S' });
const n = (name: string): KeyAttribute => ({ name, type: 'N' });

export const TABLES = {
  users: {
    logicalName: 'users',
    partitionKey: s('user_id'),
    // One partition per user: `state`, `prefs`, `session#<id>` rows, read in one Query.
    sortKey: s('facet'),
    ttlAttribute: 'expires_at',
    purpose: 'User state: embedding, affinities, watermark, preferences, block lists and sessions',
  },
  items: {
    logicalName: 'items',
    partitionKey: s('item_id'),
    globalIndexes: [{ indexName: 'by_category', partitionKey: s('category'), sortKey: n('popularity') }],
    purpose: 'Catalog items with metadata and content embeddings',
    // The item indexer (stream-handlers/item-indexer) keeps the OpenSearch k-NN index in step; the old
    // image lets it skip changes that leave the vector, category and availability as they were.
    stream: 'NEW_AND_OLD_IMAGES',
  },
  lists: {
    logicalName: 'lists',
    partitionKey: s('list_id'),
    purpose: 'Precomputed lists (global popular, segment popular, last good list per user)',
  },
  posteriors: {
    logicalName: 'posteriors',
    partitionKey: s('arm_id'),
    sortKey: s('context'),
    purpose: 'Bandit Beta(alpha, beta) posteriors per arm and context bucket',
  },
  trending: {
    logicalName: 'trending',
    partitionKey: s('scope'),
    sortKey: s('bucket'),
    ttlAttribute: 'expires_at',
    purpose: 'Sliding-window interaction counts per item, category and globally',
  },
  campaigns: {
    logicalName: 'campaigns',
    partitionKey: s('campaign_id'),
    globalIndexes: [{ indexName: 'by_status', partitionKey: s('status'), sortKey: s('updated_at') }],
    purpose: 'Marketing campaigns with schedule, targeting, creative and bandit settings',
  },
  rules: {
    logicalName: 'rules',
    partitionKey: s('surface'),
    sortKey: n('version'),
    purpose: 'Versioned re-ranking rules per surface',
  },
  experiments: {
    logicalName: 'experiments',
    partitionKey: s('experiment_id'),
    purpose: 'A/B experiments and their variants',
  },
  adminKeys: {
    logicalName: 'admin-keys',
    partitionKey: s('key_id'),
    ttlAttribute: 'expires_at',
    purpose: 'Admin API keys (scrypt hashes only) with roles',
  },
  audit: {
    logicalName: 'audit',
    partitionKey: s('entity'),
    sortKey: s('at'),
    ttlAttribute: 'expires_at',
    purpose: 'Audit trail of every admin mutation',
  },
  adminJobs: {
    logicalName: 'admin-jobs',
    partitionKey: s('job_id'),
    ttlAttribute: 'expires_at',
    purpose: 'Background admin jobs (user deletion cascades) and their status',
  },
  idempotency: {
    logicalName: 'idempotency',
    // Powertools idempotency's default key and expiry attribute names.
    partitionKey: s('id'),
    ttlAttribute: 'expiration',
    purpose: 'Powertools idempotency records',
  },
  changes: {
    logicalName: 'changes',
    // Edge-sync signal: `users` / `posteriors` ids changed per 10-second bucket, polled by the edge.
    partitionKey: s('stream'),
    sortKey: s('bucket'),
    ttlAttribute: 'expires_at',
    purpose: 'Ids whose derived state changed, per stream and time bucket, for edge cache sync',
  },
  deadLetters: {
    logicalName: 'dead-letters',
    partitionKey: s('source'),
    sortKey: s('sequence_number'),
    ttlAttribute: 'expires_at',
    purpose: 'Stream records that exhausted their retries, kept for replay',
  },
} as const satisfies Record<string, TableDef>;

export type TableKey = keyof typeof TABLES;

/** Physical table name for a stage prefix such as `attune-local` or `attune-prod`. */
export function tableName(prefix: string, key: TableKey): string {
  return `${prefix}-${TABLES[key].logicalName}`;
}

/** Kinesis stream definition shared by CDK and the local stack. */
export const EVENT_STREAM = {
  logicalName: 'events',
  defaultShardCount: 2,
  retentionHours: 24,
} as const;

export function streamName(prefix: string): string {
  return `${prefix}-${EVENT_STREAM.logicalName}`;
}
