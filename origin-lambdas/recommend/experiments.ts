import { type RuleOverrides, ruleOverrides } from '../../shared/scoring/rule-overrides';
import { assignVariant } from '../admin/experiments/bucketing';
import type { RunningExperiment } from '../admin/experiments/running';

/** One experiment this request takes part in. */
export interface Assignment {
  readonly experiment_id: string;
  readonly variant: string;
}

/**
 * The running experiments on `surface` that include `subject`, with the subject's variant (the
 * same hash as the admin API's assignment and the stream's counters), and the rule overrides of
 * those variants merged in experiment order. `ignored` names `ranking` keys serving cannot apply.
 */
export function assignExperiments(
  running: readonly RunningExperiment[],
  subject: string,
  surface: string,
): { assignments: Assignment[]; overrides: RuleOverrides; ignored: string[] } {
  const assignments: Assignment[] = [];
  let overrides: RuleOverrides = {};
  const ignored: string[] = [];
  for (const x of running) {
    if (!x.surfaces.includes(surface)) continue;
    const name = assignVariant(x, subject);
    const variant = x.variants.find((v) => v.name === name);
    if (!name || !variant) continue;
    assignments.push({ experiment_id: x.experiment_id, variant: name });
    const mapped = ruleOverrides(variant.ranking ?? {});
    overrides = { ...overrides, ...mapped.overrides };
    ignored.push(...mapped.ignored.map((k) => `${x.experiment_id}:${name}:${k}`));
  }
  return { assignments, overrides, ignored };
}
