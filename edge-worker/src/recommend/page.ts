import type { Rng } from '../../../shared/random';
import { type CachedCandidate, decodeCandidates } from '../../../shared/schemas/candidate';
import type { EdgeSlots, EdgeSnapshot } from '../../../shared/schemas/edge-slots';
import type { RecommendedItem } from '../../../shared/schemas/recommendation';
import type { SessionSignals } from '../../../shared/scoring/candidate';
import { presentPage } from '../../../shared/scoring/present';
import { rerank } from '../../../shared/scoring/rerank';
import { rescore } from '../../../shared/scoring/rescore';
import type { Surface } from '../../../shared/scoring/surface-rules';
import type { RecsRecord } from '../cache/records';
import { presentItems } from './present';
import { slotInputs } from './slot-inputs';

/** A ranked answer, with the candidate list (and slot inputs) behind it when the origin sent them. */
export interface CachedList {
  readonly items: readonly RecommendedItem[];
  /** As cached: vectors may still be quantized (`vq`); they are decoded here, per request. */
  readonly candidates?: readonly CachedCandidate[] | undefined;
  readonly slots?: EdgeSlots | undefined;
}

/** The list a cached record holds: v2 records are built from their candidates, v1 trimmed. */
export function cachedListOf(record: RecsRecord): CachedList {
  return record.v === 2
    ? { items: [], candidates: record.candidates, slots: record.slots }
    : { items: record.response.items };
}

/** One request's view of the page: its size, exclusions, surface and the bandit's randomness. */
export interface PageOptions {
  readonly limit: number;
  readonly exclude: readonly string[];
  readonly surface: Surface;
  /** The latest bandit and rules snapshot, when this isolate has one. */
  readonly snapshot?: EdgeSnapshot | undefined;
  /** @default Math.random */
  readonly rng?: Rng;
}

/** One page and how it was made. */
export interface Page {
  readonly items: RecommendedItem[];
  /** True when the candidate list was re-scored for the session, false when the list was trimmed. */
  readonly rescored: boolean;
}

/**
 * All of the edge's per-request CPU for one list. With candidates: re-score them for the
 * session (seen and hidden items drop out), then the shared re-ranking core, the same as the
 * origin's: freshness, pins, Thompson-sampled sponsored and exploration slots, the category cap
 * or MMR; each item explained. Without (v1 records), or when the session has seen every
 * candidate, the ranked list trimmed.
 */
export function buildPage(list: CachedList, session: SessionSignals, options: PageOptions): Page {
  if (list.candidates && list.candidates.length > 0) {
    const excluded = new Set(options.exclude);
    const kept =
      excluded.size > 0 ? list.candidates.filter((c) => !excluded.has(c.item_id)) : list.candidates;
    const slots = slotInputs(list.slots, options.snapshot, options.surface, list.candidates);
    // Session similarity reads the quantized vectors as they are; only MMR's pairwise
    // similarities need them decoded.
    const pool = slots.rules.diversity === 'mmr' ? decodeCandidates(kept) : kept;
    const seen = new Set([...session.seen, ...session.hidden, ...excluded]);
    const page = rerank(rescore(pool, session), {
      limit: options.limit,
      rules: slots.rules,
      rng: options.rng ?? Math.random,
      exploration: slots.exploration,
      sponsored: slots.sponsored,
      seen,
    });
    const items = presentPage(page);
    if (items.length > 0) return { items, rescored: true };
  }
  return { items: presentItems(list.items, options), rescored: false };
}
