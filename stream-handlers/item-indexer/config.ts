import { z } from 'zod';
import { originConfigSchema, parseConfig } from '../../origin-lambdas/common/config';

/**
 * The item indexer's configuration: the OpenSearch settings the recommend function reads, with
 * the endpoint required (an indexer without a domain has nothing to do).
 */
export const itemIndexerConfigSchema = originConfigSchema
  .pick({
    AWS_REGION: true,
    OPENSEARCH_ALIAS: true,
    VECTOR_DIMENSIONS: true,
    VECTOR_METRIC: true,
  })
  .extend({ OPENSEARCH_ENDPOINT: z.url() });

export type ItemIndexerConfig = z.infer<typeof itemIndexerConfigSchema>;

export function loadItemIndexerConfig(
  env: Record<string, string | undefined> = process.env,
): ItemIndexerConfig {
  return parseConfig(itemIndexerConfigSchema, env);
}
