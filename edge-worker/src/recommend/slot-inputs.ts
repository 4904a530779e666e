import { type EdgeSlots, type EdgeSnapshot, isPoolCandidate } from '../../../shared/schemas/edge-slots';
import type { Candidate } from '../../../shared/scoring/candidate';
import { applyRuleOverrides } from '../../../shared/scoring/rule-overrides';
import type { BetaPosterior, SponsoredArm } from '../../../shared/scoring/slots';
import {
  DEFAULT_SURFACE_RULES,
  type Surface,
  type SurfaceRules,
} from '../../../shared/scoring/surface-rules';

/** What the shared re-ranking core needs to decide the slots of one page at the edge. */
export interface SlotInputs {
  readonly rules: SurfaceRules;
  readonly sponsored: readonly SponsoredArm[];
  readonly exploration: {
    readonly pool: readonly Candidate[];
    readonly posteriors: ReadonlyMap<string, BetaPosterior>;
  };
}

/**
 * Merges the record's slot inputs with the latest snapshot. The record knows which campaigns
 * this user may see (targeting ran at the origin) and each exploration item's posterior when
 * it was made; the snapshot, a few seconds old, knows which campaigns still serve and their
 * current posteriors, and the surface's current rules. Without a snapshot the record's view is
 * used as it is; without slots, the surface's default rules and no slot candidates. Pool
 * entries sent by id are taken from `candidates` (the record's list); one missing there is dropped.
 */
export function slotInputs(
  slots: EdgeSlots | undefined,
  snapshot: EdgeSnapshot | undefined,
  surface: Surface,
  candidates: readonly Candidate[] = [],
): SlotInputs {
  // The subject's experiment variant changes the surface's rules, whichever copy of them is used.
  const rules = applyRuleOverrides(
    snapshot?.rules[surface] ?? slots?.rules ?? DEFAULT_SURFACE_RULES[surface],
    slots?.overrides,
  );
  if (!slots) return { rules, sponsored: [], exploration: { pool: [], posteriors: new Map() } };
  const sponsored: SponsoredArm[] = [];
  for (const arm of slots.sponsored) {
    const now = snapshot?.campaigns[arm.campaign_id];
    // A campaign the snapshot does not know was archived or deleted since the record was made.
    if (snapshot && !now?.live) continue;
    sponsored.push({
      campaign_id: arm.campaign_id,
      priority: arm.priority,
      item: arm.item,
      alpha: now?.alpha ?? arm.alpha,
      beta: now?.beta ?? arm.beta,
    });
  }
  const pool: Candidate[] = [];
  const posteriors = new Map<string, BetaPosterior>();
  let byId: Map<string, Candidate> | undefined;
  for (const entry of slots.pool) {
    let c: Candidate | undefined;
    if (isPoolCandidate(entry)) {
      const { alpha: _a, beta: _b, ...whole } = entry;
      c = whole;
    } else {
      byId ??= indexById(candidates);
      c = byId.get(entry.item_id);
    }
    if (!c) continue;
    pool.push(c);
    posteriors.set(c.item_id, { alpha: entry.alpha, beta: entry.beta });
  }
  return { rules, sponsored, exploration: { pool, posteriors } };
}

/** The list by item id, filled in a plain loop: this runs on every hit, for two hundred candidates. */
function indexById(candidates: readonly Candidate[]): Map<string, Candidate> {
  const byId = new Map<string, Candidate>();
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i] as Candidate;
    byId.set(c.item_id, c);
  }
  return byId;
}
