import { type AttuneEvent, subjectOf } from '../../shared/schemas/event';
import { ALL_CONTEXTS, armOf } from '../../stream-handlers/bandit-posteriors/attribution';

/** What the stores must hold once every accepted event is applied exactly once. */
export interface Truth {
  events: number;
  perUser: Map<string, number>;
  perSession: Map<string, number>;
  /** Per arm (all contexts): impressions and rewards. */
  perArm: Map<string, { impressions: number; rewards: number }>;
}

/** Ground truth from the accepted events, each event id once. */
export function truthOf(accepted: Iterable<AttuneEvent>): Truth {
  const t: Truth = { events: 0, perUser: new Map(), perSession: new Map(), perArm: new Map() };
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const e of accepted) {
    t.events++;
    inc(t.perUser, subjectOf(e));
    inc(t.perSession, `${subjectOf(e)}|${e.session_id}`);
    const arm = armOf(e);
    if (!e.decision_id || !arm) continue;
    const a = t.perArm.get(arm) ?? { impressions: 0, rewards: 0 };
    if (e.type === 'impression' || e.type === 'campaign_view') a.impressions++;
    if (e.type === 'click' || e.type === 'campaign_click') a.rewards++;
    t.perArm.set(arm, a);
  }
  return t;
}

export { ALL_CONTEXTS };
