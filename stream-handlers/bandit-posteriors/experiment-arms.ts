import { assignVariant } from '../../origin-lambdas/admin/experiments/bucketing';
import type { RunningExperiment } from '../../origin-lambdas/admin/experiments/running';
import { ARM_IDS } from '../../origin-lambdas/admin/stats/posteriors';
import type { StreamEvent } from '../../shared/schemas/event';
import type { CounterWrite } from '../common/counter-store';
import { ALL_CONTEXTS, trialOutcome } from './attribution';

/**
 * The experiment-variant counters one event moves: for each running experiment on the event's
 * surface whose traffic includes the event's subject, that subject's variant (the same hash the
 * admin API and serving use) gets an impression (beta + 1) or a click (alpha + 1, beta - 1), in
 * the pooled `*` context the results endpoint reads. The counts then read like the bandit's, so
 * `clicksOf` and the Beta summaries apply unchanged.
 */
export function experimentWrites(e: StreamEvent, running: readonly RunningExperiment[]): CounterWrite[] {
  const add = trialOutcome(e.type);
  const subject = e.user_id ?? e.anonymous_id;
  if (!add || !subject) return [];
  const out: CounterWrite[] = [];
  for (const x of running) {
    if (e.surface && !x.surfaces.includes(e.surface)) continue;
    if (x.started_at && e.ts < x.started_at) continue;
    const variant = assignVariant(x, subject);
    if (!variant) continue;
    out.push({
      key: { arm_id: ARM_IDS.variant(x.experiment_id, variant), context: ALL_CONTEXTS },
      add,
      set: { last_event_at: e.received_at },
    });
  }
  return out;
}
