import type { VectorIndex } from '../../shared/ports/vector-index';
import { openSearchClient } from '../adapters/vector/opensearch-client';
import { OpenSearchVectorIndex } from '../adapters/vector/opensearch-index';
import type { OriginConfig } from './config';

/** The settings `openSearchIndexFor` reads; the recommend function and the item indexer share them. */
export type OpenSearchIndexConfig = Pick<
  OriginConfig,
  'OPENSEARCH_ENDPOINT' | 'OPENSEARCH_ALIAS' | 'VECTOR_DIMENSIONS' | 'VECTOR_METRIC' | 'AWS_REGION'
>;

/**
 * The OpenSearch k-NN index behind OPENSEARCH_ENDPOINT. Requests to an Amazon OpenSearch Service
 * domain are SigV4-signed with the function's role (mapped to the index role by the search stack);
 * any other endpoint is a local or test node and gets plain requests.
 */
export function openSearchIndexFor(config: OpenSearchIndexConfig): VectorIndex {
  const endpoint = config.OPENSEARCH_ENDPOINT;
  if (!endpoint)
    return missingIndex(config.VECTOR_DIMENSIONS, 'VECTOR_BACKEND=opensearch needs OPENSEARCH_ENDPOINT');
  const aws = new URL(endpoint).hostname.endsWith('.amazonaws.com');
  return new OpenSearchVectorIndex({
    client: openSearchClient({ node: endpoint, ...(aws ? { region: config.AWS_REGION } : {}) }),
    alias: config.OPENSEARCH_ALIAS,
    dimensions: config.VECTOR_DIMENSIONS,
    metric: config.VECTOR_METRIC,
  });
}

/** A VectorIndex whose every call fails with `reason`: k-NN sources fail and serving goes on without them. */
export function missingIndex(
  dimensions: number,
  reason = 'no embedded vector index in this build; set VECTOR_BACKEND=opensearch',
): VectorIndex {
  const fail = async (): Promise<never> => {
    throw new Error(reason);
  };
  return { dimensions, upsert: fail, remove: fail, search: fail, size: fail };
}
