import type { EdgeConfig } from '../config';
import { OriginClient } from '../origin/origin-client';
import { type SnapshotCache, SnapshotStore } from './snapshot-store';

// One store per isolate and origin: the held snapshot outlives requests on purpose.
const stores = new Map<string, SnapshotStore>();

/** A held snapshot older than this is not used: the records' own slot inputs are fresher. */
const MAX_AGE_MS = 5 * 60_000;

/** The isolate's snapshot store for this configuration's origin. */
export function snapshotStoreFor(config: EdgeConfig, cache: SnapshotCache | undefined): SnapshotStore {
  const key = `${config.ORIGIN_URL}|${config.EDGE_SNAPSHOT_TTL_SECONDS}`;
  let store = stores.get(key);
  if (!store) {
    store = new SnapshotStore({
      fetch: () =>
        new OriginClient({
          baseUrl: config.ORIGIN_URL,
          timeoutMs: Math.max(config.ORIGIN_TIMEOUT_MS, 1000),
          requestId: `snapshot-${crypto.randomUUID()}`,
        }).snapshot(),
      ...(cache ? { cache } : {}),
      cacheKey: `${config.ORIGIN_URL}/v1/edge/snapshot`,
      ttlMs: config.EDGE_SNAPSHOT_TTL_SECONDS * 1000,
      maxAgeMs: MAX_AGE_MS,
    });
    stores.set(key, store);
  }
  return store;
}
