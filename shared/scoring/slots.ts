import { sampleBeta } from '../bandits/sampling';
import type { Rng } from '../random';
import type { Candidate } from './candidate';

/** Beta posterior pseudo-counts of an item's or a campaign's click rate. */
export interface BetaPosterior {
  readonly alpha: number;
  readonly beta: number;
}

/** One sponsored option: a campaign, the item its creative promotes, and its click posterior. */
export interface SponsoredArm {
  readonly campaign_id: string;
  readonly item: Candidate;
  readonly alpha: number;
  readonly beta: number;
  /** The campaign's priority; the higher wins when two draws tie. @default 0 */
  readonly priority?: number;
}

// A corrupt posterior falls back to the uniform prior instead of throwing mid-request.
const count = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 1);

const draw = (p: BetaPosterior | undefined, rng: Rng): number =>
  p ? sampleBeta(count(p.alpha), count(p.beta), rng) : sampleBeta(1, 1, rng);

/**
 * Picks up to `n` distinct items of `pool` for exploration slots by Thompson sampling: one draw
 * per item from its Beta posterior (Beta(1, 1) when it has none), best draws first. Items come
 * back marked `source: 'explore'`. Draws happen in pool order, so a seeded `rng` reproduces the
 * choice exactly.
 */
export function chooseExploration(
  pool: readonly Candidate[],
  posteriors: ReadonlyMap<string, BetaPosterior>,
  n: number,
  rng: Rng,
): Candidate[] {
  if (n <= 0) return [];
  const seen = new Set<string>();
  const drawn: { c: Candidate; v: number }[] = [];
  for (const c of pool) {
    if (seen.has(c.item_id)) continue;
    seen.add(c.item_id);
    drawn.push({ c, v: draw(posteriors.get(c.item_id), rng) });
  }
  drawn.sort((a, b) => b.v - a.v || (a.c.item_id < b.c.item_id ? -1 : 1));
  return drawn.slice(0, n).map(({ c }) => ({ ...c, source: 'explore' }));
}

/**
 * Picks up to `n` sponsored items from distinct campaigns (and distinct items) by Thompson
 * sampling: one draw per arm, best draw first, priority then campaign id breaking ties. A
 * campaign with several arms (creative items) competes with its best draw. Items come back
 * marked `sponsored` with their `campaign_id`, in the order they should fill sponsored positions.
 */
export function chooseSponsored(arms: readonly SponsoredArm[], n: number, rng: Rng): Candidate[] {
  if (n <= 0) return [];
  const drawn = arms.map((arm) => ({ arm, v: draw(arm, rng) }));
  drawn.sort(
    (a, b) =>
      b.v - a.v ||
      (b.arm.priority ?? 0) - (a.arm.priority ?? 0) ||
      (a.arm.campaign_id < b.arm.campaign_id ? -1 : a.arm.campaign_id > b.arm.campaign_id ? 1 : 0),
  );
  const campaigns = new Set<string>();
  const items = new Set<string>();
  const out: Candidate[] = [];
  for (const { arm } of drawn) {
    if (out.length >= n) break;
    if (campaigns.has(arm.campaign_id) || items.has(arm.item.item_id)) continue;
    campaigns.add(arm.campaign_id);
    items.add(arm.item.item_id);
    out.push({ ...arm.item, sponsored: true, campaign_id: arm.campaign_id });
  }
  return out;
}
