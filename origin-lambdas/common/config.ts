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
