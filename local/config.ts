import { z } from 'zod';
import { parseConfig } from '../origin-lambdas/common/config';

const port = z.coerce.number().int().min(1024).max(65535);

/** The local stack's settings; every one can be overridden through the environment. */
export const localConfigSchema = z.object({
  ATTUNE_EDGE_PORT: port.default(8787),
  ATTUNE_ORIGIN_PORT: port.default(8790),
  ATTUNE_ADMIN_PORT: port.default(8791),
  ATTUNE_MODEL_PORT: port.default(8792),
  ATTUNE_DYNAMODB_PORT: port.default(8793),
  ATTUNE_KINESIS_PORT: port.default(8794),
  ATTUNE_SHARDS: z.coerce.number().int().min(1).max(64).default(2),
  ATTUNE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  ATTUNE_SEED_ITEMS: z.coerce.number().int().min(50).max(1_000_000).default(3000),
  ATTUNE_SEED_USERS: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /** Where stand-in data, checkpoints, dead letters and models live (git-ignored). */
  ATTUNE_DATA_DIR: z.string().min(1).default('.attune'),
  ATTUNE_TABLE_PREFIX: z.string().min(1).default('attune-local'),
});

export type LocalConfig = z.infer<typeof localConfigSchema>;

export function loadLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  return parseConfig(localConfigSchema, env);
}
