import { z } from 'zod';
import { parseConfig } from '../../origin-lambdas/common/config';
import { DEFAULT_WRITE_MODE, WRITE_MODES } from './write-mode';

/** Stream-handler configuration; the same variables in Lambda and under the local runner. */
export const streamConfigSchema = z.object({
  ATTUNE_TABLE_PREFIX: z.string().min(1).default('attune-local'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Batched transactions or a request per key; docs/streaming.md says when to pick which. */
  STATE_WRITE_MODE: z.enum(WRITE_MODES).default(DEFAULT_WRITE_MODE),
  /** User rows the user-state consumer keeps between batches (0: read every batch). */
  USER_STATE_CACHE_ROWS: z.coerce.number().int().min(0).max(100_000).default(2000),
});

export type StreamConfig = z.infer<typeof streamConfigSchema>;

export function loadStreamConfig(env: Record<string, string | undefined> = process.env): StreamConfig {
  return parseConfig(streamConfigSchema, env);
}
