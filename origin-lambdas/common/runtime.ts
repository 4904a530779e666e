import type { ItemLookup } from '../../shared/ports/item-lookup';
import { DISABLED_REASONER } from '../../shared/ports/reasoner';
import type { VectorIndex } from '../../shared/ports/vector-index';
import { DynamoChangeFeed } from '../adapters/dynamodb-change-feed';
import { DynamoItemCatalog } from '../adapters/dynamodb-item-catalog';
import { DynamoPosteriorReader } from '../adapters/dynamodb-posterior-reader';
import { DynamoTrendingReader } from '../adapters/dynamodb-trending-reader';
import { DynamoUserPrefs } from '../adapters/dynamodb-user-prefs';
import { DynamoUserStateStore } from '../adapters/dynamodb-user-state-store';
import { InMemoryItemLookup } from '../adapters/item-store/in-memory-item-lookup';
import { scanCatalogItems } from '../adapters/item-store/scan-items';
import { KinesisEventStream } from '../adapters/kinesis-event-stream';
import { SageMakerModelEndpoint } from '../adapters/sagemaker-model-endpoint';
import { SageMakerReasoner } from '../adapters/sagemaker-reasoner';
import { CampaignStore } from '../admin/campaigns/store';
import { ExperimentStore } from '../admin/experiments/store';
import { RuleStore } from '../admin/rules/store';
import { DynamoUserContextReader } from '../recommend/context/user-context-reader';
import { ItemCache } from '../recommend/item-cache';
import { type CpuModelFactory, createResilientRanker } from '../recommend/ranking/from-config';
import { CachedServingData } from '../recommend/serving-data';
import { createDocumentClient, createKinesisClient, createSageMakerRuntimeClient } from './aws-clients';
import type { OriginConfig } from './config';
import { missingIndex, openSearchIndexFor } from './opensearch-index-for';

/**
 * Adapters for one container, built on first use so each Lambda only creates the SDK clients
 * it needs (the ingest function never opens a SageMaker client, and so on).
 */
/**
 * Adapters that need native modules (usearch, onnxruntime) are injected by the entry points that
 * ship them: the Lambda bundles carry only pure JavaScript and the AWS SDK.
 */
export interface NativeAdapters {
  /** The embedded HNSW index, for VECTOR_BACKEND=embedded. */
  readonly embeddedIndex?: (
    config: OriginConfig,
    doc: ReturnType<typeof createDocumentClient>,
  ) => VectorIndex;
  /** The in-process CPU copy of the ranking model. */
  readonly cpuModel?: CpuModelFactory;
}

// Parallel scan segments loading the in-memory item store: a 1M-item table is a few hundred pages.
const ITEM_SCAN_SEGMENTS = 4;

export function createOriginRuntime(config: OriginConfig, native: NativeAdapters = {}) {
  const region = config.AWS_REGION;
  const prefix = config.ATTUNE_TABLE_PREFIX;
  const once = <T>(make: () => T) => {
    let v: T | undefined;
    return () => {
      v ??= make();
      return v;
    };
  };
  const doc = once(() => createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region }));
  const catalog = once(() => new DynamoItemCatalog(doc(), prefix));
  const users = once(() => new DynamoUserStateStore(doc(), prefix));
  const prefs = once(() => new DynamoUserPrefs(doc(), prefix));
  const changes = once(() => new DynamoChangeFeed(doc(), prefix));
  const cache = once(() => new ItemCache(catalog(), changes()));
  const items = once(
    (): ItemLookup =>
      config.ITEM_STORE === 'memory'
        ? new InMemoryItemLookup({
            catalog: catalog(),
            load: () => scanCatalogItems(doc(), prefix, ITEM_SCAN_SEGMENTS),
            dimensions: config.VECTOR_DIMENSIONS,
            changes: changes(),
            whileLoading: cache(),
          })
        : cache(),
  );
  const contexts = once(() => new DynamoUserContextReader(doc(), prefix));
  const trending = once(
    () => new DynamoTrendingReader(doc(), prefix, Date.now, { cacheMs: config.TRENDING_CACHE_MS }),
  );
  const serving = once(
    () =>
      new CachedServingData({
        rules: new RuleStore(doc(), prefix),
        campaigns: new CampaignStore(doc(), prefix),
        posteriors: new DynamoPosteriorReader(doc(), prefix),
        experiments: new ExperimentStore(doc(), prefix),
      }),
  );
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
  const ranker = once(() => createResilientRanker(config, model(), native.cpuModel));
  // OpenSearch is plain JavaScript (its SigV4 signer is the SDK v3 one), so every build has it;
  // the embedded index needs usearch and exists only where the native adapters are injected.
  const index = once(() =>
    config.VECTOR_BACKEND === 'opensearch'
      ? openSearchIndexFor(config)
      : (native.embeddedIndex?.(config, doc()) ?? missingIndex(config.VECTOR_DIMENSIONS)),
  );
  const reasoner = once(() =>
    config.REASONER_ENDPOINT_NAME
      ? new SageMakerReasoner(createSageMakerRuntimeClient({ region }), config.REASONER_ENDPOINT_NAME)
      : DISABLED_REASONER,
  );
  return {
    config,
    reasoner,
    doc,
    catalog,
    users,
    prefs,
    changes,
    items,
    contexts,
    trending,
    serving,
    stream,
    model,
    ranker,
    index,
  };
}

export type OriginRuntime = ReturnType<typeof createOriginRuntime>;
