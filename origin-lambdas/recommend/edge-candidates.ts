import type { CachedCandidate } from '../../shared/schemas/recommendation';
import type { Candidate } from '../../shared/scoring/candidate';

// Four decimals keep cosine similarity exact to ~1e-4 while roughly halving the JSON size of
// a 32-d vector, which decides whether 200 candidates fit comfortably in one KV value.
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The compact candidate list the edge caches and re-scores per request: the `depth` best
 * scored candidates, with what the shared scoring core reads (scores clamped to [0, 1]).
 */
export function edgeCandidates(ranked: readonly Candidate[], depth = 200): CachedCandidate[] {
  return ranked.slice(0, depth).map((c) => ({
    item_id: c.item_id,
    category: c.category,
    score: round4(Math.min(1, Math.max(0, c.score))),
    source: c.source,
    popularity: round4(c.popularity),
    freshness: round4(c.freshness),
    ...(c.vector ? { vector: c.vector.map(round4) } : {}),
    ...(c.title ? { title: c.title } : {}),
    ...(c.anchor_title ? { anchor_title: c.anchor_title } : {}),
  }));
}
