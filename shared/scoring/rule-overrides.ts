import type { SurfaceRules } from './surface-rules';

/** Changes an experiment variant may make to a surface's rules (the variant's `ranking` map). */
export type RuleOverrides = Partial<
  Pick<
    SurfaceRules,
    'explorationShare' | 'maxPerCategory' | 'window' | 'freshnessBoost' | 'diversity' | 'mmrLambda'
  >
>;

const fraction = (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : undefined);
const count = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100 ? v : undefined;

/** The `ranking` keys a variant may set, in the admin API's snake case, and how each is checked. */
const KEYS: Record<string, { field: keyof RuleOverrides; read: (v: unknown) => unknown }> = {
  exploration_share: { field: 'explorationShare', read: fraction },
  max_items_per_category: { field: 'maxPerCategory', read: count },
  window: { field: 'window', read: count },
  freshness_boost: {
    field: 'freshnessBoost',
    read: (v) => (typeof v === 'number' && v >= 0 && v <= 10 ? v : undefined),
  },
  diversity: { field: 'diversity', read: (v) => (v === 'cap' || v === 'mmr' ? v : undefined) },
  mmr_lambda: { field: 'mmrLambda', read: fraction },
};

/** The keys serving understands; anything else in a variant's `ranking` is reported and ignored. */
export const RANKING_OVERRIDE_KEYS = Object.keys(KEYS);

/**
 * A variant's `ranking` map as rule overrides. Unknown keys and out-of-range values come back in
 * `ignored` (serving logs them) rather than failing a request: a typo in an experiment must not
 * take a surface down.
 */
export function ruleOverrides(ranking: Readonly<Record<string, unknown>>): {
  overrides: RuleOverrides;
  ignored: string[];
} {
  const overrides: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(ranking)) {
    const spec = KEYS[key];
    const read = spec?.read(value);
    if (spec && read !== undefined) overrides[spec.field] = read;
    else ignored.push(key);
  }
  return { overrides: overrides as RuleOverrides, ignored };
}

/** `rules` with the overrides applied; the same function at the origin and the edge. */
export function applyRuleOverrides(rules: SurfaceRules, overrides: RuleOverrides | undefined): SurfaceRules {
  return overrides && Object.keys(overrides).length ? { ...rules, ...overrides } : rules;
}
