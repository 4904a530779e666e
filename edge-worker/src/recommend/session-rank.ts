import type { RecommendedItem } from '../../../shared/schemas/recommendation';
import type { Candidate, SessionSignals } from '../../../shared/scoring/candidate';
import { type DiversityRules, diversify } from '../../../shared/scoring/diversify';
import { explain } from '../../../shared/scoring/explain';
import { type RescoreWeights, rescore } from '../../../shared/scoring/rescore';

/** How one cached candidate list becomes this request's page. */
export interface SessionRankOptions {
  readonly limit: number;
  /** Item ids the client asked to leave out. */
  readonly exclude: readonly string[];
  readonly weights?: RescoreWeights;
  readonly diversity?: DiversityRules;
}

/**
 * The per-request work at the edge: re-score the cached candidates with the session's signals
 * (seen and hidden items drop out), diversify, explain, and number the first `limit` items.
 * Pure and synchronous: this is the CPU the Worker spends on a cache hit.
 */
export function rankForSession(
  candidates: readonly Candidate[],
  session: SessionSignals,
  options: SessionRankOptions,
): RecommendedItem[] {
  const excluded = new Set(options.exclude);
  const pool = excluded.size > 0 ? candidates.filter((c) => !excluded.has(c.item_id)) : candidates;
  const ranked = diversify(rescore(pool, session, options.weights), options.limit, options.diversity);
  return ranked.map((r, position) => {
    const c = r.candidate;
    return {
      item_id: c.item_id,
      score: Math.round(r.score * 1e6) / 1e6,
      position,
      reasons: [explain(r)],
      sponsored: c.sponsored ?? false,
      ...(c.title === undefined ? {} : { title: c.title }),
      category: c.category,
    };
  });
}
