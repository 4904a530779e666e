import { type RelatedResponse, relatedResponseSchema } from '../../../shared/schemas/related';
import { log } from '../log';

/** A cached public answer and when it stops being fresh. */
export interface CachedRelated {
  readonly body: RelatedResponse;
  /** Epoch ms when it was stored. */
  readonly storedAt: number;
  /** How long it is fresh (the origin's `max-age`); after that it is only served if the origin fails. */
  readonly freshSeconds: number;
}

/** Port: the edge's cache of public related-items answers. */
export interface RelatedCache {
  get(key: string): Promise<CachedRelated | undefined>;
  put(key: string, entry: CachedRelated): Promise<void>;
}

const STORED_AT = 'x-attune-stored-at';
const FRESH_SECONDS = 'x-attune-fresh-seconds';

/**
 * RelatedCache over the Cache API (`caches.default`, this Cloudflare location only). Entries
 * are kept for `maxStaleSeconds`, longer than they are fresh, so a stale copy is still there
 * when the origin is down; freshness is decided here from the stored headers.
 */
export class CacheApiRelatedCache implements RelatedCache {
  constructor(
    private readonly cache: Cache,
    private readonly maxStaleSeconds: number,
  ) {}

  async get(key: string): Promise<CachedRelated | undefined> {
    const res = await this.cache.match(key).catch((error: unknown) => {
      log('warn', 'cache read failed', { key, error });
      return undefined;
    });
    if (!res) return undefined;
    const storedAt = Number(res.headers.get(STORED_AT));
    const freshSeconds = Number(res.headers.get(FRESH_SECONDS));
    const parsed = relatedResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success || !Number.isFinite(storedAt) || !Number.isFinite(freshSeconds)) return undefined;
    return { body: parsed.data, storedAt, freshSeconds };
  }

  async put(key: string, entry: CachedRelated): Promise<void> {
    const res = new Response(JSON.stringify(entry.body), {
      headers: {
        'content-type': 'application/json',
        'cache-control': `public, max-age=${this.maxStaleSeconds}`,
        [STORED_AT]: String(entry.storedAt),
        [FRESH_SECONDS]: String(entry.freshSeconds),
      },
    });
    await this.cache.put(key, res);
  }
}

/**
 * Seconds a response may be shared, from its Cache-Control: `max-age` when it is `public`,
 * else 0 (private, no-store, or no directive: not cacheable).
 */
export function sharedMaxAge(cacheControl: string): number {
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (!directives.includes('public') || directives.includes('no-store') || directives.includes('private'))
    return 0;
  const maxAge = directives.find((d) => d.startsWith('max-age='));
  const seconds = maxAge ? Number.parseInt(maxAge.slice('max-age='.length), 10) : 0;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}
