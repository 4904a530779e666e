import { describe, expect, it } from 'vitest';
import { segmentTastes } from '../../../origin-lambdas/lists/segments';

describe('segmentTastes', () => {
  it('unions state and prefs segments and averages relative affinities over members', () => {
    const rows = [
      { user_id: 'u1', facet: 'prefs', segments: ['vip'] },
      {
        user_id: 'u1',
        facet: 'state',
        segments: new Set(['eu']),
        affinities: { scores: { books: 4, music: 2 } },
      },
      { user_id: 'u2', facet: 'state', segments: ['vip'], affinities: { scores: { music: 3, games: -1 } } },
      // A member without affinities counts, with zeros.
      { user_id: 'u3', facet: 'prefs', segments: ['vip', 'eu'] },
      { user_id: 'u4', facet: 'state', affinities: { scores: { books: 1 } } },
    ];
    expect(segmentTastes(rows)).toEqual([
      { segment: 'eu', members: 2, affinities: { books: 0.5, music: 0.25 } },
      { segment: 'vip', members: 3, affinities: { books: 1 / 3, music: 0.5 } },
    ]);
  });

  it('gives no segment when no user has one', () => {
    expect(segmentTastes([{ user_id: 'u', facet: 'state', affinities: { scores: { a: 1 } } }])).toEqual([]);
  });
});
