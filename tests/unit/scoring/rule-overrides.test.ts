import { describe, expect, it } from 'vitest';
import { applyRuleOverrides, ruleOverrides } from '../../../shared/scoring/rule-overrides';
import { DEFAULT_SURFACE_RULES } from '../../../shared/scoring/surface-rules';

describe('experiment rule overrides', () => {
  it('maps the variant ranking keys onto the surface rules and reports the rest', () => {
    const { overrides, ignored } = ruleOverrides({
      exploration_share: 0,
      max_items_per_category: 1,
      diversity: 'mmr',
      mmr_lambda: 0.5,
      freshness_boost: 2,
      window: 6,
      temperature: 0.3,
      exploration_share_typo: 1,
    });
    expect(overrides).toEqual({
      explorationShare: 0,
      maxPerCategory: 1,
      diversity: 'mmr',
      mmrLambda: 0.5,
      freshnessBoost: 2,
      window: 6,
    });
    expect(ignored).toEqual(['temperature', 'exploration_share_typo']);
  });

  it('ignores values out of range or of the wrong type instead of applying them', () => {
    const { overrides, ignored } = ruleOverrides({
      exploration_share: 1.5,
      max_items_per_category: 0.5,
      diversity: 0.3,
      mmr_lambda: '0.5',
    });
    expect(overrides).toEqual({});
    expect(ignored).toEqual(['exploration_share', 'max_items_per_category', 'diversity', 'mmr_lambda']);
  });

  it('applies over any rules and leaves them as they are without overrides', () => {
    const home = DEFAULT_SURFACE_RULES.home;
    expect(applyRuleOverrides(home, { explorationShare: 0 })).toEqual({ ...home, explorationShare: 0 });
    expect(applyRuleOverrides(home, {})).toBe(home);
    expect(applyRuleOverrides(home, undefined)).toBe(home);
  });
});
