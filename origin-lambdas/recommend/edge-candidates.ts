import { quantizeVector } from '../../shared/embedding/quantize';
import type { EdgeSlots } from '../../shared/schemas/edge-slots';
import type { CachedCandidate } from '../../shared/schemas/recommendation';
import type { Candidate } from '../../shared/scoring/candidate';
import type { RuleOverrides } from '../../shared/scoring/rule-overrides';
import type { SurfaceRules } from '../../shared/scoring/surface-rules';
import type { FunnelSlots } from './funnel';

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** One candidate in wire form (scores clamped to [0, 1]); the vector only when asked for. */
function toWire(c: Candidate, withVector: boolean): CachedCandidate {
  return {
    item_id: c.item_id,
    category: c.category,
    score: round4(Math.min(1, Math.max(0, c.score))),
    source: c.source,
    popularity: round4(c.popularity),
    freshness: round4(c.freshness),
    // Quantized: a fifth of the bytes of JSON numbers, and the edge parses this on every hit.
    ...(withVector && c.vector ? { vq: quantizeVector(c.vector) } : {}),
    ...(c.title ? { title: c.title } : {}),
    ...(c.anchor_title ? { anchor_title: c.anchor_title } : {}),
  };
}

/**
 * The compact candidate list the edge caches and re-scores per request: the `depth` best
 * scored candidates, with what the shared scoring core reads.
 */
export function edgeCandidates(ranked: readonly Candidate[], depth = 200): CachedCandidate[] {
  return ranked.slice(0, depth).map((c) => toWire(c, true));
}

/**
 * The slot inputs in their wire form: the rules, the sponsored arms this user was eligible for
 * and the exploration pool with each item's posterior, so the edge can run the same Thompson
 * draws per request that the origin ran for this one. Pool items in `inList` (the ids of the
 * `edgeCandidates` sent beside) travel as references.
 */
export function edgeSlots(
  rules: SurfaceRules,
  slots: FunnelSlots,
  overrides: RuleOverrides = {},
  inList: ReadonlySet<string> = new Set(),
): EdgeSlots {
  // Slot items need no vector: they are placed by their draws, not by session similarity.
  const wire = (c: Candidate) => toWire(c, false);
  return {
    rules,
    sponsored: slots.sponsored.slice(0, 50).map((a) => ({
      campaign_id: a.campaign_id,
      priority: a.priority ?? 0,
      alpha: a.alpha,
      beta: a.beta,
      item: { ...wire(a.item), sponsored: true, campaign_id: a.campaign_id },
    })),
    pool: slots.pool.slice(0, 100).map((c) => {
      const p = slots.posteriors.get(c.item_id) ?? { alpha: 1, beta: 1 };
      if (inList.has(c.item_id)) return { item_id: c.item_id, alpha: p.alpha, beta: p.beta };
      return { ...wire(c), alpha: p.alpha, beta: p.beta };
    }),
    ...(Object.keys(overrides).length ? { overrides } : {}),
  };
}

/** What an answer carries for the edge: the candidate list and the slot inputs that refer to it. */
export function edgeLists(
  rules: SurfaceRules,
  result: { readonly ranked: readonly Candidate[]; readonly slots: FunnelSlots },
  overrides: RuleOverrides = {},
): { candidates: CachedCandidate[]; slots: EdgeSlots } {
  const candidates = edgeCandidates(result.ranked);
  const inList = new Set(candidates.map((c) => c.item_id));
  return { candidates, slots: edgeSlots(rules, result.slots, overrides, inList) };
}
