import { type RuleOverrides, ruleOverrides } from '../../shared/scoring/rule-overrides';
import { assignVariant } from '../admin/experiments/bucketing';
import type { RunningExperiment } from '../admin/experiments/running';

/** One experiment this request takes part in. */
export interface Assignment {
  readonly experiment_id: string;
  readonly variant: string;
}

/** What the subject's variants change for this request. */
export interface ExperimentEffects {
  readonly assignments: Assignment[];
  readonly overrides: RuleOverrides;
  /** `<experiment>:<variant>:<key>` of the settings serving cannot apply (logged). */
  readonly ignored: string[];
  /** The model version to rank with, when a variant names one. */
  readonly modelVersion?: string;
}

/**
 * The running experiments on `surface` that include `subject`, with the subject's variant (the
 * same hash as the admin API's assignment and the stream's counters), and the rule overrides of
 * those variants merged in experiment order. `ignored` names `ranking` keys serving cannot apply.
 * One request ranks with one model: when several assigned variants name a `model_version`, the
 * experiment with the smallest `experiment_id` decides (the list's order is the store's, not
 * stable), and the others' versions are reported in `ignored` as `<id>:<variant>:model_version`.
 */
export function assignExperiments(
  running: readonly RunningExperiment[],
  subject: string,
  surface: string,
): ExperimentEffects {
  const assignments: Assignment[] = [];
  let overrides: RuleOverrides = {};
  const ignored: string[] = [];
  const versions: { id: string; variant: string; version: string }[] = [];
  for (const x of running) {
    if (!x.surfaces.includes(surface)) continue;
    const name = assignVariant(x, subject);
    const variant = x.variants.find((v) => v.name === name);
    if (!name || !variant) continue;
    assignments.push({ experiment_id: x.experiment_id, variant: name });
    const mapped = ruleOverrides(variant.ranking ?? {});
    overrides = { ...overrides, ...mapped.overrides };
    ignored.push(...mapped.ignored.map((k) => `${x.experiment_id}:${name}:${k}`));
    if (variant.model_version) {
      versions.push({ id: x.experiment_id, variant: name, version: variant.model_version });
    }
  }
  versions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const [chosen, ...others] = versions;
  ignored.push(...others.map((o) => `${o.id}:${o.variant}:model_version`));
  return { assignments, overrides, ignored, ...(chosen ? { modelVersion: chosen.version } : {}) };
}
