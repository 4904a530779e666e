import type { RecommendedItem } from '../../../shared/schemas/recommendation';
import type { Candidate, SessionSignals } from '../../../shared/scoring/candidate';
import { presentItems } from './present';
import { rankForSession } from './session-rank';

/** A ranked answer, with the candidate list behind it when the origin sent one. */
export interface CachedList {
  readonly items: readonly RecommendedItem[];
  readonly candidates?: readonly Candidate[] | undefined;
}

/** One page and how it was made. */
export interface Page {
  readonly items: RecommendedItem[];
  /** True when the candidate list was re-scored for the session, false when the list was trimmed. */
  readonly rescored: boolean;
}

/**
 * All of the edge's per-request CPU for one list: the candidates re-scored for the session,
 * diversified, explained and cut to `limit` when there are candidates, else the ranked list
 * trimmed (v1 records). A session that has seen every candidate still gets the trimmed list.
 */
export function buildPage(
  list: CachedList,
  session: SessionSignals,
  options: { readonly limit: number; readonly exclude: readonly string[] },
): Page {
  if (list.candidates && list.candidates.length > 0) {
    const ranked = rankForSession(list.candidates, session, options);
    if (ranked.length > 0) return { items: ranked, rescored: true };
  }
  return { items: presentItems(list.items, options), rescored: false };
}
