import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';

export interface OpenSearchClientOptions {
  /** Endpoint URL, e.g. `https://search-attune-prod-....eu-west-1.es.amazonaws.com`. */
  readonly node: string;
  /** AWS region of the domain; when set, every request is SigV4-signed for service `es`. */
  readonly region?: string;
  /** Credentials for signing. @default the AWS SDK default chain (`defaultProvider()`: env, SSO, ini, web identity, ECS/IMDS) */
  readonly getCredentials?: () => Promise<AwsCredentialIdentity>;
}

/**
 * The OpenSearch client for `OpenSearchVectorIndex`. In AWS (a `region`), requests are signed
 * with SigV4 and authorized by fine-grained access control through the role mapping the search
 * stack applies; without one it is a plain client for a local or test node.
 */
export function openSearchClient(opts: OpenSearchClientOptions): Client {
  if (!opts.region) return new Client({ node: opts.node });
  return new Client({
    ...AwsSigv4Signer({
      region: opts.region,
      service: 'es',
      getCredentials: opts.getCredentials ?? defaultProvider(),
    }),
    node: opts.node,
  });
}
