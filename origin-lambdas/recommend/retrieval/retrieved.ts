import type { CandidateSource } from '../../../shared/scoring/candidate';

/** One candidate as a retrieval source produced it, before hydration. */
export interface Retrieved {
  readonly item_id: string;
  readonly source: CandidateSource;
  /** The source's own relevance in [0, 1] (cosine, normalized trend score, list rank). */
  readonly score: number;
  /** The engaged item that led here, for "Because you viewed X". */
  readonly anchor_id?: string;
}

/** Rank-based score for list sources: 1 for the head, decaying smoothly down the list. */
export const rankScore = (rank: number) => 1 / (1 + rank / 10);

/**
 * Unions the sources' candidates, one per item: the best-scoring source wins the item (it
 * explains it), and earlier sources win ties, so callers list sources from most to least personal.
 */
export function unionCandidates(lists: readonly (readonly Retrieved[])[]): Retrieved[] {
  const best = new Map<string, Retrieved>();
  for (const list of lists)
    for (const r of list) {
      const seen = best.get(r.item_id);
      if (!seen || r.score > seen.score) best.set(r.item_id, r);
    }
  return [...best.values()];
}
