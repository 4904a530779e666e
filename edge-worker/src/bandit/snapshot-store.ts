import { type EdgeSnapshot, edgeSnapshotSchema } from '../../../shared/schemas/edge-slots';
import { log } from '../log';

/** The part of the Cache API (`caches.default`) the store uses. */
export interface SnapshotCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/** Where snapshots come from and how long each copy is trusted. */
export interface SnapshotStoreOptions {
  /** Fetches a new snapshot from the origin; may throw. */
  readonly fetch: () => Promise<EdgeSnapshot>;
  /** The location's shared cache (`caches.default`); absent, each isolate asks the origin itself. */
  readonly cache?: SnapshotCache | undefined;
  /** The Cache API key: a URL. */
  readonly cacheKey: string;
  /** A snapshot younger than this is used without asking for a new one. */
  readonly ttlMs: number;
  /** A snapshot older than this is not used at all: the record's own slot inputs are better. */
  readonly maxAgeMs: number;
  readonly now?: () => number;
}

const STORED_AT = 'x-attune-stored-at';

/**
 * The bandit and rules snapshot, held per isolate. A request never waits for the origin: it gets
 * the held copy (or the location's cached copy when the isolate is new) and, when that is older
 * than the TTL, one background refresh per isolate fetches a new one and shares it through the
 * Cache API. KV is deliberately not used: it allows one write per second per key and takes up to
 * a minute to converge, while the Cache API converges a location within one TTL at no write cost.
 */
export class SnapshotStore {
  private held: { snapshot: EdgeSnapshot; at: number } | undefined;
  private refreshing: Promise<void> | undefined;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: SnapshotStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The snapshot to decide with now, or undefined when none recent enough is at hand. Never
   * throws; `defer` receives the background refresh when one is due.
   */
  async current(defer: (work: Promise<unknown>) => void): Promise<EdgeSnapshot | undefined> {
    const now = this.now();
    // One attempt (cache, then origin) per TTL: a down origin gets one call per isolate per TTL,
    // not one per request, and a cold isolate does not probe the cache on every request.
    const due = now - this.attemptedAt >= this.options.ttlMs;
    if (!this.held && due) await this.fromCache();
    const held = this.held;
    const age = held ? now - held.at : Number.POSITIVE_INFINITY;
    if (due && age >= this.options.ttlMs && !this.refreshing) {
      this.attemptedAt = now;
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = undefined;
      });
      defer(this.refreshing);
    }
    return held && age < this.options.maxAgeMs ? held.snapshot : undefined;
  }

  private async fromCache(): Promise<void> {
    const res = await this.options.cache?.match(this.options.cacheKey).catch(() => undefined);
    if (!res) return;
    const at = Number(res.headers.get(STORED_AT));
    const parsed = edgeSnapshotSchema.safeParse(await res.json().catch(() => undefined));
    if (parsed.success && Number.isFinite(at) && !this.held) this.held = { snapshot: parsed.data, at };
  }

  private async refresh(): Promise<void> {
    try {
      const snapshot = await this.options.fetch();
      const at = this.now();
      this.held = { snapshot, at };
      await this.options.cache?.put(
        this.options.cacheKey,
        new Response(JSON.stringify(snapshot), {
          headers: {
            'content-type': 'application/json',
            'cache-control': `public, max-age=${Math.max(1, Math.ceil(this.options.ttlMs / 1000))}`,
            [STORED_AT]: String(at),
          },
        }),
      );
    } catch (error) {
      // The held copy keeps serving until maxAgeMs; after that the records' own inputs do.
      log('warn', 'snapshot refresh failed', { error });
    }
  }
}
