import type { Node } from 'constructs';
import { rankerVariantName } from '../../../shared/ranking/model-variant';
import { boolContext, intContext, listContext, stringContext } from '../context';

/** One SageMaker real-time endpoint's model and capacity. */
export interface EndpointModelConfig {
  /** Serving container image; `undefined` = `<account>.dkr.ecr.<region>.amazonaws.com/<defaultRepository>:latest`. */
  readonly imageUri?: string;
  /** `s3://bucket/prefix/<version>/model.tar.gz`; `undefined` = the stage's model bucket (see `defaultModelDataUrl`). */
  readonly modelDataUrl?: string;
  readonly instanceType: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Target of the scaling policy: invocations per instance per minute. */
  readonly invocationsPerInstanceTarget: number;
}

/** The ranking endpoint and the optional LLM endpoint of the reasoning path. */
export interface InferenceConfig {
  readonly ranker: EndpointModelConfig;
  /** Model version folder under the artifact prefix, used by the default `modelDataUrl`. */
  readonly modelVersion: string;
  /**
   * Extra model versions the ranking endpoint serves as production variants of weight 0, so only
   * requests that target them (an experiment variant's `model_version`) reach them.
   * @default []
   */
  readonly rankerVariants: readonly string[];
  readonly llmEnabled: boolean;
  readonly llm: EndpointModelConfig;
}

export const INFERENCE_CONFIG_DEFAULTS: InferenceConfig = {
  ranker: {
    instanceType: 'ml.g5.xlarge',
    minInstances: 1,
    maxInstances: 4,
    invocationsPerInstanceTarget: 3000,
  },
  modelVersion: 'v1',
  rankerVariants: [],
  llmEnabled: false,
  llm: { instanceType: 'ml.g5.2xlarge', minInstances: 1, maxInstances: 2, invocationsPerInstanceTarget: 60 },
};

const INSTANCE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
const IMAGE =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/;
const S3_URL = /^s3:\/\/[a-z0-9.-]{3,63}\/.+$/;
const VERSION = /^[A-Za-z0-9._-]+$/;
/** SageMaker allows 10 production variants per endpoint config; one is AllTraffic. */
export const MAX_RANKER_VARIANTS = 9;

function endpointModel(node: Node, prefix: string, d: EndpointModelConfig): EndpointModelConfig {
  const imageUri = stringContext(node, `${prefix}ImageUri`, undefined, IMAGE);
  const modelDataUrl = stringContext(node, `${prefix}ModelDataUrl`, undefined, S3_URL);
  const minInstances = intContext(node, `${prefix}MinInstances`, d.minInstances);
  const maxInstances = intContext(node, `${prefix}MaxInstances`, d.maxInstances);
  if (maxInstances < minInstances)
    throw new Error(`context ${prefix}MaxInstances must be >= ${prefix}MinInstances`);
  return {
    ...(imageUri ? { imageUri } : {}),
    ...(modelDataUrl ? { modelDataUrl } : {}),
    instanceType: stringContext(node, `${prefix}InstanceType`, d.instanceType, INSTANCE),
    minInstances,
    maxInstances,
    invocationsPerInstanceTarget: intContext(
      node,
      `${prefix}InvocationsPerInstance`,
      d.invocationsPerInstanceTarget,
    ),
  };
}

/**
 * Checks the extra ranker versions: safe folder names, none twice, not the default version (the
 * AllTraffic variant serves it already), no two with the same variant name, at most
 * MAX_RANKER_VARIANTS. Throws naming the offending entry.
 */
export function checkRankerVariants(versions: readonly string[], modelVersion: string): readonly string[] {
  if (versions.length > MAX_RANKER_VARIANTS) {
    throw new Error(
      `context rankerVariants lists ${versions.length} versions; at most ${MAX_RANKER_VARIANTS}`,
    );
  }
  const byName = new Map<string, string>();
  for (const v of versions) {
    if (!VERSION.test(v)) throw new Error(`context rankerVariants "${v}" must match ${VERSION}`);
    if (v === modelVersion) {
      throw new Error(
        `context rankerVariants lists ${v}, the modelVersion: the AllTraffic variant serves it`,
      );
    }
    const name = rankerVariantName(v);
    const twin = byName.get(name);
    if (twin !== undefined)
      throw new Error(`context rankerVariants: ${twin} and ${v} share variant name ${name}`);
    byName.set(name, v);
  }
  return versions;
}

/**
 * Reads `ranker{ImageUri,ModelDataUrl,InstanceType,MinInstances,MaxInstances,InvocationsPerInstance}`,
 * `modelVersion`, `rankerVariants` (comma-separated extra versions), `llmEndpoint` and the same
 * `llm*` keys.
 */
export function readInferenceConfig(node: Node): InferenceConfig {
  const d = INFERENCE_CONFIG_DEFAULTS;
  const modelVersion = stringContext(node, 'modelVersion', d.modelVersion, VERSION);
  return {
    ranker: endpointModel(node, 'ranker', d.ranker),
    modelVersion,
    rankerVariants: checkRankerVariants(listContext(node, 'rankerVariants'), modelVersion),
    llmEnabled: boolContext(node, 'llmEndpoint', d.llmEnabled),
    llm: endpointModel(node, 'llm', d.llm),
  };
}
