import { describe, expect, it } from 'vitest';
import { slotInputs } from '../../../edge-worker/src/recommend/slot-inputs';
import type { EdgeSlots, EdgeSnapshot } from '../../../shared/schemas/edge-slots';
import type { CachedCandidate } from '../../../shared/schemas/recommendation';
import { DEFAULT_SURFACE_RULES } from '../../../shared/scoring/surface-rules';

const item = (item_id: string): CachedCandidate => ({
  item_id,
  category: 'shoes',
  score: 0.5,
  source: 'popular',
  popularity: 0.5,
  freshness: 0.1,
});

const SLOTS: EdgeSlots = {
  rules: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [3] },
  sponsored: [
    { campaign_id: 'a', priority: 100, alpha: 5, beta: 5, item: item('ad-a') },
    { campaign_id: 'b', priority: 50, alpha: 2, beta: 9, item: item('ad-b') },
  ],
  pool: [{ ...item('x1'), alpha: 4, beta: 2 }],
};

const snapshot = (campaigns: EdgeSnapshot['campaigns'], rules: EdgeSnapshot['rules'] = {}): EdgeSnapshot => ({
  v: 1,
  generated_at: 0,
  rules,
  campaigns,
});

describe('slotInputs', () => {
  it("uses the record's arms, pool posteriors and rules when there is no snapshot", () => {
    const inputs = slotInputs(SLOTS, undefined, 'home');
    expect(inputs.rules.sponsoredPositions).toEqual([3]);
    expect(inputs.sponsored.map((a) => [a.campaign_id, a.alpha, a.beta, a.priority])).toEqual([
      ['a', 5, 5, 100],
      ['b', 2, 9, 50],
    ]);
    expect(inputs.exploration.pool.map((c) => c.item_id)).toEqual(['x1']);
    expect(inputs.exploration.pool[0]).not.toHaveProperty('alpha');
    expect(inputs.exploration.posteriors.get('x1')).toEqual({ alpha: 4, beta: 2 });
  });

  it('takes live status, posteriors and rules from the snapshot; unknown campaigns are gone', () => {
    const rules = { home: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [0, 5] } };
    const inputs = slotInputs(SLOTS, snapshot({ a: { live: true, alpha: 40, beta: 3 } }, rules), 'home');
    expect(inputs.rules.sponsoredPositions).toEqual([0, 5]);
    expect(inputs.sponsored.map((a) => [a.campaign_id, a.alpha, a.beta])).toEqual([['a', 40, 3]]);
  });

  it('drops paused campaigns and falls back to default rules without slots', () => {
    const paused = slotInputs(
      SLOTS,
      snapshot({ a: { live: false, alpha: 1, beta: 1 }, b: { live: false, alpha: 1, beta: 1 } }),
      'home',
    );
    expect(paused.sponsored).toEqual([]);
    const bare = slotInputs(undefined, undefined, 'cart');
    expect(bare.rules).toEqual(DEFAULT_SURFACE_RULES.cart);
    expect(bare.sponsored).toEqual([]);
    expect(bare.exploration.pool).toEqual([]);
  });

  it("applies the subject's experiment overrides over the snapshot's rules as well as the record's", () => {
    const withOverrides: EdgeSlots = { ...SLOTS, overrides: { explorationShare: 0, maxPerCategory: 1 } };
    const fromRecord = slotInputs(withOverrides, undefined, 'home');
    expect(fromRecord.rules).toMatchObject({
      sponsoredPositions: [3],
      explorationShare: 0,
      maxPerCategory: 1,
    });
    const rules = { home: { ...DEFAULT_SURFACE_RULES.home, sponsoredPositions: [5] } };
    const fromSnapshot = slotInputs(withOverrides, snapshot({}, rules), 'home');
    expect(fromSnapshot.rules).toMatchObject({
      sponsoredPositions: [5],
      explorationShare: 0,
      maxPerCategory: 1,
    });
  });

  it('takes pool entries sent by id from the candidate list, and drops one the list lacks', () => {
    const list = [item('in-list'), { ...item('x1'), category: 'books' }];
    const slots: EdgeSlots = {
      ...SLOTS,
      pool: [
        { item_id: 'in-list', alpha: 3, beta: 7 },
        { ...item('whole'), alpha: 2, beta: 2 },
        { item_id: 'gone', alpha: 9, beta: 1 },
      ],
    };
    const inputs = slotInputs(slots, undefined, 'home', list);
    expect(inputs.exploration.pool).toEqual([list[0], item('whole')]);
    expect([...inputs.exploration.posteriors]).toEqual([
      ['in-list', { alpha: 3, beta: 7 }],
      ['whole', { alpha: 2, beta: 2 }],
    ]);
  });
});
