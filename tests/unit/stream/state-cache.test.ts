import { describe, expect, it } from 'vitest';
import type { UserState } from '../../../shared/ports/user-state-store';
import { UserStateCache } from '../../../stream-handlers/user-state/state-cache';

const row = (user_id: string, version = 1): UserState => ({
  user_id,
  version,
  event_count: version,
  recent_items: [],
});

describe('UserStateCache', () => {
  it('keeps the most recently used rows up to its bound', () => {
    const cache = new UserStateCache(2);
    cache.set(row('a'));
    cache.set(row('b'));
    expect(cache.get('a')?.user_id).toBe('a');
    cache.set(row('c'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.user_id).toBe('a');
    expect(cache.get('c')?.user_id).toBe('c');
  });

  it('replaces a row with its newer version and forgets a deleted one', () => {
    const cache = new UserStateCache(2);
    cache.set(row('a', 1));
    cache.set(row('a', 2));
    expect(cache.get('a')?.version).toBe(2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps nothing when its bound is zero', () => {
    const cache = new UserStateCache(0);
    cache.set(row('a'));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
