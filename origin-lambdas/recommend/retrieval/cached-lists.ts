import type { StoredList } from '../../../shared/ports/item-catalog';
import { TtlCache } from '../../common/ttl-cache';
import type { ListReader } from './sources';

/**
 * Retrieval's list reads (popular by segment, country and category; editorial picks) reused per
 * container for a few seconds. The lists job rewrites them once a minute, so every request reading
 * them again bought nothing but one to four Gets on the hot path. A failed reload keeps the last
 * good list serving; the ladder reads lists uncached, so its levels still see a DynamoDB outage.
 */
export class CachedListReader implements ListReader {
  private readonly cache: TtlCache<StoredList | null>;

  constructor(
    private readonly reader: ListReader,
    ttlMs: number,
    now: () => number = Date.now,
  ) {
    this.cache = new TtlCache(ttlMs, now);
  }

  async getList(listId: string): Promise<StoredList | undefined> {
    return (
      (await this.cache.get(listId, async () => (await this.reader.getList(listId)) ?? null)) ?? undefined
    );
  }
}
