import { z } from 'zod';

const optionalUrl = z.url().optional();

/** Origin configuration from the environment; the same variables in Lambda and locally. */
export const originConfigSchema = z.object({
  ATTUNE_TABLE_PREFIX: z.string().min(1).default('attune-local'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  EVENT_STREAM_NAME: z.string().min(1).default('attune-local-events'),
  SAGEMAKER_ENDPOINT_NAME: z.string().min(1).default('attune-ranker'),
  MODEL_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(150),
  DYNAMODB_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(200),
  /** Stand-in endpoints; absent in AWS, where the SDK finds the real services. */
  DYNAMODB_ENDPOINT: optionalUrl,
  KINESIS_ENDPOINT: optionalUrl,
  SAGEMAKER_ENDPOINT_URL: optionalUrl,
  /** Bundle scored in-process when the endpoint fails: a model dir, a bundle folder or its model.onnx. */
  FALLBACK_MODEL_PATH: z.string().min(1).optional(),
  FALLBACK_MODEL_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(500),
  /** Consecutive endpoint failures that open the ranking circuit breaker. */
  MODEL_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** How long an open breaker skips the endpoint before one trial call. */
  MODEL_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Budget of each retrieval source; a slower one is dropped and the rest still serve. */
  RETRIEVAL_TIMEOUT_MS: z.coerce.number().int().min(5).max(10_000).default(120),
  /** How long retrieval reuses a list (popular, editorial) per container; 0 reads every time. */
  LISTS_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** How long trending rows (5-minute buckets) are reused per container; 0 reads every time. */
  TRENDING_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Where k-NN retrieval runs: the embedded HNSW index or an OpenSearch domain. */
  VECTOR_BACKEND: z.enum(['embedded', 'opensearch']).default('embedded'),
  /** The embedded index's directory (loaded when present, written after a build from the items table). */
  ATTUNE_VECTOR_DIR: z.string().min(1).optional(),
  VECTOR_DIMENSIONS: z.coerce.number().int().min(2).max(4096).default(32),
  /**
   * k-means partitions of an embedded index built here (one HNSW graph each); a loaded index keeps
   * the partitions it was saved with.
   */
  VECTOR_PARTITIONS: z.coerce.number().int().min(1).max(4096).default(16),
  /** Partitions an embedded-index search probes, closest centroids first (recall against speed). */
  VECTOR_NPROBE: z.coerce.number().int().min(1).max(4096).default(4),
  /**
   * Where hydration reads items: the per-container cache over DynamoDB (`dynamodb`), or the whole
   * catalog packed in memory beside the embedded index (`memory`, loaded by one scan at start).
   */
  ITEM_STORE: z.enum(['dynamodb', 'memory']).default('dynamodb'),
  /**
   * What k-NN ranks by: inner product (`ip`, what the trained CF embeddings need, their norms carry
   * signal) or cosine (`cos`). On unit-norm embeddings (the demo seed catalog) the two agree.
   */
  VECTOR_METRIC: z.enum(['cos', 'ip']).default('ip'),
  /** OpenSearch domain endpoint and the alias queries go through (VECTOR_BACKEND=opensearch). */
  OPENSEARCH_ENDPOINT: optionalUrl,
  OPENSEARCH_ALIAS: z.string().min(1).default('attune-items'),
  /** SageMaker LLM endpoint that may rewrite explanations; unset (the default) disables it. */
  REASONER_ENDPOINT_NAME: z.string().min(1).optional(),
  REASONER_BUDGET_MS: z.coerce.number().int().min(10).max(2000).default(200),
});

export type OriginConfig = z.infer<typeof originConfigSchema>;

/** Thrown at start when configuration is invalid; the message names each variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses configuration from an env-like record, failing with the names of the bad variables. */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
}

export function loadOriginConfig(env: Record<string, string | undefined> = process.env): OriginConfig {
  return parseConfig(originConfigSchema, env);
}
