import { describe, expect, it } from 'vitest';
import { trendingWrites } from '../../../stream-handlers/trending/counts';
import { makeStreamEvent } from '../../helpers/events';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();
const expiry = (bucketStart: number) => (bucketStart + 300_000 + 48 * 3600_000) / 1000;

describe('trendingWrites across buckets', () => {
  it('puts each event in the bucket of its own received_at, however events of two buckets interleave', () => {
    const times = [T0 + 1_000, T0 + 301_000, T0 + 2_000, T0 + 2_000, T0 + 299_999, T0 + 300_000];
    const writes = times.map((t) =>
      trendingWrites(
        { ...makeStreamEvent({ type: 'view', item_id: 'i1' }), received_at: at(t) },
        () => 'books',
      ),
    );
    const start = (t: number) => T0 + Math.floor((t - T0) / 300_000) * 300_000;
    expect(writes.map((w) => w.map((x) => x.key))).toEqual(
      times.map((t) => [
        { scope: 'global', bucket: at(start(t)) },
        { scope: 'cat#books', bucket: at(start(t)) },
      ]),
    );
    expect(writes.map((w) => w[1]?.set)).toEqual(times.map((t) => ({ expires_at: expiry(start(t)) })));
  });

  it('keeps each category in its own row and counts an item without a known category as unknown', () => {
    const received_at = at(T0);
    const category = (id: string) => ({ a: 'books', b: 'music' })[id];
    const rows = ['a', 'b', 'c', 'a'].map(
      (id) =>
        trendingWrites({ ...makeStreamEvent({ type: 'click', item_id: id }), received_at }, category)[1],
    );
    expect(rows.map((w) => w?.key.scope)).toEqual(['cat#books', 'cat#music', 'cat#unknown', 'cat#books']);
    expect(rows[2]?.add).toEqual({ events: 1, 's:c': 1.5, 'n:c': 1, 'c:c': 1 });
  });

  it('writes only the global row, without a category total, when the category is empty', () => {
    const e = { ...makeStreamEvent({ type: 'view', item_id: 'i1' }), received_at: at(T0) };
    const writes = trendingWrites(e, () => '');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.add).toEqual({ events: 1, 't:view': 1 });
  });
});
