import { HashedNgramEncoder } from '../../shared/embedding/hashed-encoder';
import { ExactVectorIndex } from '../adapters/vector/exact-index';
import type { OriginRuntime } from '../common/runtime';
import { createAdminApp } from './app';
import type { AdminDeps } from './services';
import { HttpEdgeCachePurger } from './users/edge-purger';
import { internalSecretSource } from './users/internal-secret';

/** The admin app over a runtime's adapters; shared by the Lambda handler and the local server. */
export function adminAppFor(
  rt: OriginRuntime,
  overrides: Partial<AdminDeps> = {},
  env: Record<string, string | undefined> = process.env,
) {
  const edgeUrl = env.ATTUNE_EDGE_URL;
  const secret = internalSecretSource(env);
  return createAdminApp(
    {
      doc: rt.doc(),
      prefix: rt.config.ATTUNE_TABLE_PREFIX,
      catalog: rt.catalog(),
      encoder: new HashedNgramEncoder(32),
      // Exact search by default: campaigns number in the hundreds, and the Lambda bundle must not
      // carry a native module. The local server passes the embedded HNSW index instead.
      newIndex: (dimensions) => new ExactVectorIndex(dimensions),
      ...(edgeUrl && secret ? { edgePurger: new HttpEdgeCachePurger(edgeUrl, secret) } : {}),
      ...overrides,
    },
    { dynamodb: () => rt.catalog().health() },
  );
}
