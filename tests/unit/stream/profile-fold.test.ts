import { describe, expect, it } from 'vitest';
import { posteriorWrites } from '../../../stream-handlers/bandit-posteriors/attribution';
import { bucketOf, bucketsInWindow } from '../../../stream-handlers/common/time-bucket';
import { trendingWrites } from '../../../stream-handlers/trending/counts';
import { foldEvent, type ProfileParts } from '../../../stream-handlers/user-state/fold';
import { textValence, updateMood } from '../../../stream-handlers/user-state/mood';
import { decodeProfile, encodeProfile } from '../../../stream-handlers/user-state/profile-codec';
import { foldSession } from '../../../stream-handlers/user-state/session';
import { makeStreamEvent } from '../../helpers/events';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();

describe('foldEvent', () => {
  it('weights by event type, decays by the half-life and pushes away on hide', () => {
    const parts: ProfileParts = {};
    const a = { category: 'books', embedding: [1, 0] };
    const b = { category: 'music', embedding: [0, 1] };
    foldEvent(parts, makeStreamEvent({ type: 'purchase', item_id: 'a', ts: at(T0) }), a);
    foldEvent(parts, makeStreamEvent({ type: 'hide', item_id: 'b', ts: at(T0 + 7 * DAY) }), b, {
      halfLifeMs: 7 * DAY,
    });
    expect(parts.taste).toEqual({ sum: [2, -2], at: T0 + 7 * DAY });
    expect(parts.affinities).toEqual({ scores: { books: 2, music: -2 }, at: T0 + 7 * DAY });
  });

  it('an impression moves neither taste nor affinity, and a misfit vector throws before touching anything', () => {
    const parts: ProfileParts = {};
    foldEvent(parts, makeStreamEvent({ type: 'impression', item_id: 'a', ts: at(T0) }), {
      category: 'x',
      embedding: [1, 0],
    });
    expect(parts.taste).toBeUndefined();
    foldEvent(parts, makeStreamEvent({ type: 'view', item_id: 'a', ts: at(T0) }), {
      category: 'x',
      embedding: [1, 0],
    });
    const before = structuredClone(parts);
    expect(() =>
      foldEvent(parts, makeStreamEvent({ type: 'click', item_id: 'z', ts: at(T0) }), {
        category: 'x',
        embedding: [1, 0, 0],
      }),
    ).toThrow('taste has 2 dimensions, item has 3');
    expect(parts).toEqual(before);
  });
});

describe('mood', () => {
  it('moves only the components an event speaks to, by an EMA of 0.2', () => {
    const m1 = updateMood(undefined, makeStreamEvent({ type: 'skip' }));
    expect(m1).toEqual([-0.3 * 0.2, 0, 0.2, 0]);
    const m2 = updateMood(m1, makeStreamEvent({ type: 'dwell', dwell_ms: 30_000 }));
    expect(m2[1]).toBeCloseTo(0.1, 12);
    expect(m2[2]).toBeCloseTo(0.16, 12);
    expect(updateMood(undefined, makeStreamEvent({ type: 'rating', rating: 5 }))[0]).toBeCloseTo(0.2, 12);
  });

  it('review text outweighs the star rating', () => {
    expect(textValence('awful and horrible')).toBeLessThan(0);
    expect(
      updateMood(undefined, makeStreamEvent({ type: 'rating', rating: 5, text: 'awful and horrible' }))[0],
    ).toBeLessThan(0);
  });
});

describe('foldSession', () => {
  it('keeps last items, a weighted vector and category counts per session, bounded to the newest sessions', () => {
    const item = { category: 'books', embedding: [1, 2] };
    let s = foldSession(
      {},
      makeStreamEvent({ session_id: 's1', type: 'click', item_id: 'a', ts: at(T0) }),
      item,
    );
    s = foldSession(
      s,
      makeStreamEvent({ session_id: 's1', type: 'skip', item_id: 'b', ts: at(T0 + 1000) }),
      item,
    );
    expect(s.s1).toEqual({
      started_at: at(T0),
      last_event_at: at(T0 + 1000),
      event_count: 2,
      recent_items: ['a'],
      vector: [1, 2],
      category_counts: { books: 1 },
    });
    for (let i = 2; i <= 4; i++)
      s = foldSession(s, makeStreamEvent({ session_id: `s${i}`, ts: at(T0 + i * 1000) }), undefined);
    expect(Object.keys(s)).toEqual(['s4', 's3', 's2']);
  });
});

describe('profile codec', () => {
  it('round-trips the taste exactly and vectors as float32', () => {
    const p = {
      user_id: 'u',
      event_count: 1,
      recent_items: [],
      version: 1,
      taste: { sum: [0.1, 1 / 3], at: 5 },
      embedding: [0.5, 0.25],
    };
    expect(decodeProfile(encodeProfile(p))).toEqual(p);
  });
});

describe('counter contributions', () => {
  it('an impression is a trial and a click on the same decision turns it into a success, per context and overall', () => {
    const base = {
      decision_id: 'd',
      campaign_id: 'c',
      item_id: undefined,
      context: { device: 'tv' as const, daypart: 'night' as const },
    };
    const shown = posteriorWrites(makeStreamEvent({ ...base, type: 'campaign_view' }));
    const clicked = posteriorWrites(makeStreamEvent({ ...base, type: 'campaign_click' }));
    expect(shown.map((w) => [w.key, w.add])).toEqual([
      [
        { arm_id: 'campaign:c', context: 'tv|night' },
        { impressions: 1, beta: 1 },
      ],
      [
        { arm_id: 'campaign:c', context: '*' },
        { impressions: 1, beta: 1 },
      ],
    ]);
    expect(clicked[0]?.add).toEqual({ rewards: 1, alpha: 1, beta: -1 });
    expect(posteriorWrites(makeStreamEvent({ type: 'click' }))).toEqual([]);
    // A purchase after the campaign's decision is a conversion; an item's purchase is not a campaign's.
    const bought = posteriorWrites(makeStreamEvent({ ...base, type: 'purchase', item_id: 'i9' }));
    expect(bought.map((w) => [w.key.arm_id, w.add])).toEqual([
      ['campaign:c', { conversions: 1 }],
      ['campaign:c', { conversions: 1 }],
    ]);
    expect(posteriorWrites(makeStreamEvent({ type: 'purchase', item_id: 'i9', decision_id: 'd' }))).toEqual(
      [],
    );
  });

  it('trending writes the global bucket and the item’s category bucket with a TTL', () => {
    const e = makeStreamEvent({ type: 'purchase', item_id: 'i1' });
    const [global, category] = trendingWrites({ ...e, received_at: at(T0 + 61_000) }, () => 'books');
    expect(global?.key).toEqual({ scope: 'global', bucket: at(T0) });
    expect(global?.add).toEqual({ events: 1, 't:purchase': 1, 'k:books': 1 });
    expect(category?.add).toEqual({ events: 1, 's:i1': 4, 'n:i1': 1 });
    expect(category?.set).toEqual({ expires_at: (T0 + 300_000 + 48 * 3600_000) / 1000 });
  });

  it('time buckets cover the window', () => {
    expect(bucketOf(T0 + 299_999, 300_000)).toBe(at(T0));
    expect(bucketsInWindow(T0 + 600_000, 600_000, 300_000)).toEqual([at(T0 + 300_000), at(T0 + 600_000)]);
  });
});
