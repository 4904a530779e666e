import { DynamoItemCatalog } from '../adapters/dynamodb-item-catalog';
import { DynamoUserPrefs } from '../adapters/dynamodb-user-prefs';
import { DynamoUserStateStore } from '../adapters/dynamodb-user-state-store';
import { KinesisEventStream } from '../adapters/kinesis-event-stream';
import { SageMakerModelEndpoint } from '../adapters/sagemaker-model-endpoint';
import { PopularSource } from '../recommend/popular-source';
import { createDocumentClient, createKinesisClient, createSageMakerRuntimeClient } from './aws-clients';
import type { OriginConfig } from './config';

/**
 * Adapters for one container, built on first use so each Lambda only creates the SDK clients
 * it needs (the ingest function never opens a SageMaker client, and so on).
 */
export function createOriginRuntime(config: OriginConfig) {
  const region = config.AWS_REGION;
  const once = <T>(make: () => T) => {
    let v: T | undefined;
    return () => {
      v ??= make();
      return v;
    };
  };
  const doc = once(() => createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region }));
  const catalog = once(() => new DynamoItemCatalog(doc(), config.ATTUNE_TABLE_PREFIX));
  const users = once(() => new DynamoUserStateStore(doc(), config.ATTUNE_TABLE_PREFIX));
  const prefs = once(() => new DynamoUserPrefs(doc(), config.ATTUNE_TABLE_PREFIX));
  const popular = once(() => new PopularSource(catalog()));
  const stream = once(
    () =>
      new KinesisEventStream({
        client: createKinesisClient({ endpoint: config.KINESIS_ENDPOINT, region }),
        streamName: config.EVENT_STREAM_NAME,
      }),
  );
  const model = once(
    () =>
      new SageMakerModelEndpoint({
        client: createSageMakerRuntimeClient({ endpoint: config.SAGEMAKER_ENDPOINT_URL, region }),
        endpointName: config.SAGEMAKER_ENDPOINT_NAME,
        timeoutMs: config.MODEL_TIMEOUT_MS,
        ...(config.SAGEMAKER_ENDPOINT_URL ? { pingUrl: `${config.SAGEMAKER_ENDPOINT_URL}/ping` } : {}),
      }),
  );
  return { config, doc, catalog, users, prefs, popular, stream, model };
}

export type OriginRuntime = ReturnType<typeof createOriginRuntime>;
