import { describe, expect, it } from 'vitest';
import { CachedListReader } from '../../../origin-lambdas/recommend/retrieval/cached-lists';
import type { StoredList } from '../../../shared/ports/item-catalog';

const list = (ids: string[]): StoredList => ({ list_id: 'popular:global', item_ids: ids, updated_at: 'x' });

describe('CachedListReader', () => {
  it('reuses a list for its TTL, reloads after, and keeps the last good list when a reload fails', async () => {
    let clock = 0;
    let stored: StoredList | undefined = list(['a', 'b']);
    let fail = false;
    let reads = 0;
    const reader = new CachedListReader(
      {
        getList: async () => {
          reads += 1;
          if (fail) throw new Error('DynamoDB unavailable');
          return stored;
        },
      },
      10_000,
      () => clock,
    );
    expect((await reader.getList('popular:global'))?.item_ids).toEqual(['a', 'b']);
    stored = list(['c']);
    clock = 9_999;
    expect((await reader.getList('popular:global'))?.item_ids).toEqual(['a', 'b']);
    expect(reads).toBe(1);
    clock = 10_000;
    expect((await reader.getList('popular:global'))?.item_ids).toEqual(['c']);
    fail = true;
    clock = 20_001;
    expect((await reader.getList('popular:global'))?.item_ids).toEqual(['c']);
    expect(reads).toBe(3);
  });

  it('caches an absent list as absent', async () => {
    let reads = 0;
    const absent = async () => {
      reads += 1;
      return undefined;
    };
    const reader = new CachedListReader({ getList: absent }, 10_000, () => 0);
    expect(await reader.getList('editorial:home')).toBeUndefined();
    expect(await reader.getList('editorial:home')).toBeUndefined();
    expect(reads).toBe(1);
  });
});
