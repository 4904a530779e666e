import type { Rng } from '../random';
import type { Candidate } from './candidate';
import { diversify } from './diversify';
import { mmr } from './mmr';
import type { Rescored } from './rescore';
import { type BetaPosterior, chooseExploration, chooseSponsored, type SponsoredArm } from './slots';
import type { SurfaceRules } from './surface-rules';

/** Why an item holds its position. */
export type SlotKind = 'organic' | 'explore' | 'sponsored' | 'pinned';

export interface RerankedItem {
  readonly rescored: Rescored;
  readonly slot: SlotKind;
  /** 0-based, contiguous over the result. */
  readonly position: number;
}

export interface RerankOptions {
  /** Length of the page. */
  readonly limit: number;
  readonly rules: SurfaceRules;
  /** Drives the Thompson draws; inject a seeded one for reproducible pages. */
  readonly rng: Rng;
  /** Items eligible for exploration slots (already hard-filtered) and their click posteriors. */
  readonly exploration?: {
    readonly pool: readonly Candidate[];
    readonly posteriors: ReadonlyMap<string, BetaPosterior>;
  };
  /** Sponsored arms for `rules.sponsoredPositions` (already hard-filtered and targeted). */
  readonly sponsored?: readonly SponsoredArm[];
  /** Never shown again. @default none */
  readonly seen?: ReadonlySet<string>;
}

const byScore = (a: Rescored, b: Rescored): number =>
  b.score - a.score || (a.candidate.item_id < b.candidate.item_id ? -1 : 1);

/** Exploration slots for a page: about `limit · share`, at least one on pages of five or more. */
export function explorationSlots(limit: number, share: number): number {
  if (!(share > 0) || limit < 2) return 0;
  return Math.min(limit - 1, Math.max(limit >= 5 ? 1 : 0, Math.round(limit * share)));
}

/** `k` positions spread evenly over 1..limit-1, moved forward (then wrapped) past taken ones. */
function spread(limit: number, k: number, taken: ReadonlySet<number>): number[] {
  const out: number[] = [];
  const used = new Set(taken);
  for (let i = 0; i < k; i++) {
    const target = Math.min(limit - 1, Math.max(1, Math.round(((i + 1) * limit) / (k + 1))));
    for (let step = 0; step < limit - 1; step++) {
      const p = 1 + ((target - 1 + step) % (limit - 1));
      if (used.has(p)) continue;
      used.add(p);
      out.push(p);
      break;
    }
  }
  return out;
}

/**
 * The final page: drops seen items, applies the freshness boost (score · (1 + boost · freshness))
 * and re-sorts, then places pinned items, Thompson-sampled sponsored items at the sponsored
 * positions, and exploration items at spread positions (never the first), and fills the rest
 * with the organic list diversified by category cap or MMR. The cap counts the placed items too.
 * An item chosen for a slot that is also organic moves rather than repeats; no id appears twice.
 * When there are too few items the page is shorter and placed items move up: its length is
 * min(limit, distinct available items) and positions stay contiguous.
 */
export function rerank(ranked: readonly Rescored[], opts: RerankOptions): RerankedItem[] {
  const { limit, rules, rng } = opts;
  if (!(limit > 0)) return [];
  const seen = opts.seen ?? new Set<string>();
  const boost = rules.freshnessBoost;
  const byId = new Map<string, Rescored>();
  for (const r of ranked) {
    const id = r.candidate.item_id;
    if (seen.has(id) || byId.has(id)) continue;
    byId.set(id, boost > 0 ? { ...r, score: r.score * (1 + boost * r.candidate.freshness) } : r);
  }
  const organic = [...byId.values()].sort(byScore);

  const placed = new Map<number, { rescored: Rescored; slot: SlotKind }>();
  const used = new Set<string>();
  const place = (position: number, c: Candidate, slot: SlotKind): void => {
    const existing = byId.get(c.item_id);
    const rescored = existing
      ? { ...existing, candidate: c }
      : { candidate: c, score: c.score, sessionSimilarity: 0 };
    placed.set(position, { rescored, slot });
    used.add(c.item_id);
  };

  const pool = (opts.exploration?.pool ?? []).filter((c) => !seen.has(c.item_id));
  const poolById = new Map(pool.map((c) => [c.item_id, c]));
  for (const pin of rules.pinned) {
    if (pin.position >= limit || placed.has(pin.position) || used.has(pin.item_id)) continue;
    const c = byId.get(pin.item_id)?.candidate ?? poolById.get(pin.item_id);
    if (c) place(pin.position, c, 'pinned');
  }

  const adPositions = rules.sponsoredPositions.filter((p) => p < limit && !placed.has(p));
  const arms = (opts.sponsored ?? []).filter((a) => !seen.has(a.item.item_id) && !used.has(a.item.item_id));
  chooseSponsored(arms, adPositions.length, rng).forEach((c, i) => {
    place(adPositions[i] as number, c, 'sponsored');
  });

  const wanted = explorationSlots(limit, rules.explorationShare);
  const posteriors = opts.exploration?.posteriors ?? new Map<string, BetaPosterior>();
  const explore = chooseExploration(
    pool.filter((c) => !used.has(c.item_id)),
    posteriors,
    wanted,
    rng,
  );
  const explorePositions = spread(limit, explore.length, new Set(placed.keys()));
  explorePositions.forEach((p, i) => {
    place(p, explore[i] as Candidate, 'explore');
  });

  const rest = organic.filter((r) => !used.has(r.candidate.item_id));
  const cap = rules.diversity === 'cap';
  const ordered = cap ? diversify(rest, rest.length, rules) : mmr(rest, limit, rules.mmrLambda);
  const counts = new Map<string, number>();
  for (const [p, { rescored }] of placed) {
    const cat = rescored.candidate.category;
    if (p < rules.window) counts.set(cat, (counts.get(cat) ?? 0) + 1);
  }

  const page: { rescored: Rescored; slot: SlotKind }[] = [];
  for (let p = 0; p < limit; p++) {
    const fixed = placed.get(p);
    if (fixed) {
      page.push(fixed);
      continue;
    }
    if (ordered.length === 0) continue;
    // The first organic item whose category still has room in the window, else the best one.
    let i = 0;
    if (cap && p < rules.window) {
      i = ordered.findIndex((r) => (counts.get(r.candidate.category) ?? 0) < rules.maxPerCategory);
      if (i < 0) i = 0;
    }
    const [r] = ordered.splice(i, 1) as [Rescored];
    if (p < rules.window) counts.set(r.candidate.category, (counts.get(r.candidate.category) ?? 0) + 1);
    page.push({ rescored: r, slot: 'organic' });
  }
  return page.map((e, position) => ({ ...e, position }));
}
