import type { Node } from 'constructs';
import { EVENT_STREAM } from '../../shared/tables';
import { stringContext } from './context';
import {
  INFERENCE_CONFIG_DEFAULTS,
  type InferenceConfig,
  readInferenceConfig,
} from './inference/inference-config';
import { readSearchConfig, SEARCH_CONFIG_DEFAULTS, type SearchConfig } from './search/search-config';

/** How the DynamoDB tables are encrypted at rest. */
export type TableEncryptionChoice = 'aws-managed' | 'customer-managed';

/** Deployment settings read from CDK context (`cdk.json` or `-c key=value`). */
export interface AttuneConfig {
  /** Stage name such as `dev` or `prod`; physical names are `attune-<stage>-<logical>`. */
  readonly stage: string;
  /** Kinesis shard count in provisioned mode. */
  readonly shardCount: number;
  /** Use the ON_DEMAND stream capacity mode instead of provisioned shards. */
  readonly onDemand: boolean;
  /** Table encryption at rest. */
  readonly tableEncryption: TableEncryptionChoice;
  /** SageMaker endpoint the recommend function ranks with; `undefined` means `attune-<stage>-ranker`. */
  readonly sagemakerEndpointName?: string;
  /** Reserve concurrency for the functions that protect a dependency (off for low-limit accounts). */
  readonly reservedConcurrency: boolean;
  /** OpenSearch domain size and placement (`search*` context keys). */
  readonly search: SearchConfig;
  /** SageMaker endpoints (`ranker*`, `modelVersion`, `llmEndpoint`, `llm*` context keys). */
  readonly inference: InferenceConfig;
  /** E-mail subscribed to the alarm topic (`alarmEmail`); `undefined` = none. */
  readonly alarmEmail?: string;
  /** The edge Worker's base URL (`edgeUrl`), the admin deletion cascade's purge target; `undefined` = none. */
  readonly edgeUrl?: string;
}

/** Values used when the context does not set a parameter. */
export const CONFIG_DEFAULTS: AttuneConfig = {
  stage: 'dev',
  shardCount: EVENT_STREAM.defaultShardCount,
  onDemand: false,
  tableEncryption: 'aws-managed',
  reservedConcurrency: true,
  search: SEARCH_CONFIG_DEFAULTS,
  inference: INFERENCE_CONFIG_DEFAULTS,
};

/** The ranking endpoint used when the context names none. */
export function defaultEndpointName(stage: string): string {
  return `${stagePrefix(stage)}-ranker`;
}

// Stage ends up in table, stream and queue names, so keep it to what every one of them accepts.
const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
// SageMaker's own EndpointName constraint.
const ENDPOINT_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** The `attune-<stage>` prefix passed to `tableName` / `streamName` from shared/tables.ts. */
export function stagePrefix(stage: string): string {
  return `attune-${stage}`;
}

/** Production keeps its data: deletion protection on, RETAIN removal policies. */
export function isProdStage(stage: string): boolean {
  return stage === 'prod';
}

/**
 * Reads the stage and stream settings from the CDK context. `-c` values arrive as strings, `cdk.json`
 * values keep their JSON type, so both are accepted.
 */
export function readConfig(node: Node): AttuneConfig {
  const stage = String(node.tryGetContext('stage') ?? CONFIG_DEFAULTS.stage);
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(`context stage "${stage}" must match ${STAGE_PATTERN}`);
  }
  const rawShards = node.tryGetContext('shardCount');
  const shardCount = rawShards === undefined ? CONFIG_DEFAULTS.shardCount : Number(rawShards);
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new Error(`context shardCount "${rawShards}" must be a positive integer`);
  }
  const rawOnDemand = node.tryGetContext('onDemand');
  const onDemand = rawOnDemand === true || rawOnDemand === 'true';
  const tableEncryption = (node.tryGetContext('tableEncryption') ??
    CONFIG_DEFAULTS.tableEncryption) as TableEncryptionChoice;
  if (tableEncryption !== 'aws-managed' && tableEncryption !== 'customer-managed') {
    throw new Error(`context tableEncryption "${tableEncryption}" must be aws-managed or customer-managed`);
  }
  const rawEndpoint = node.tryGetContext('sagemakerEndpointName');
  const sagemakerEndpointName = rawEndpoint === undefined ? defaultEndpointName(stage) : String(rawEndpoint);
  if (!ENDPOINT_PATTERN.test(sagemakerEndpointName)) {
    throw new Error(
      `context sagemakerEndpointName "${sagemakerEndpointName}" must match ${ENDPOINT_PATTERN}`,
    );
  }
  const rawReserved = node.tryGetContext('reservedConcurrency');
  const reservedConcurrency = !(rawReserved === false || rawReserved === 'false');
  const alarmEmail = stringContext(node, 'alarmEmail', undefined, /^[^@\s]+@[^@\s]+\.[^@\s]+$/);
  const edgeUrl = stringContext(node, 'edgeUrl', undefined, /^https:\/\/[^\s/]+(\/[^\s]*)?$/);
  return {
    stage,
    shardCount,
    onDemand,
    tableEncryption,
    sagemakerEndpointName,
    reservedConcurrency,
    search: readSearchConfig(node),
    inference: readInferenceConfig(node),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(edgeUrl ? { edgeUrl } : {}),
  };
}
