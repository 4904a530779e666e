import { quantizedCosine } from '../embedding/quantize';
import { cosine } from '../vector-math';
import type { Candidate, SessionSignals } from './candidate';

/** Weights of the per-request adjustment on top of the ranker's score. */
export interface RescoreWeights {
  /** How much similarity to the session's vector adds. @default 0.35 */
  readonly sessionSimilarity?: number;
  /** How much the session's share of the candidate's category adds. @default 0.2 */
  readonly sessionCategory?: number;
  /** Freshness boost from the surface rules. @default 0 */
  readonly freshnessBoost?: number;
}

export interface Rescored {
  readonly candidate: Candidate;
  readonly score: number;
  /** Similarity to the session vector, kept for the explanation. */
  readonly sessionSimilarity: number;
}

/** Cosine with the candidate's vector, decoded or still quantized; 0 without one. */
function similarity(query: readonly number[], c: Candidate): number {
  if (c.vector) return cosine(query, c.vector);
  return c.vq ? quantizedCosine(query, c.vq) : 0;
}

/**
 * Re-scores cached candidates for this request: adds session similarity and category intent,
 * drops seen and hidden items. Pure and allocation-light: it runs at the edge on every request.
 */
export function rescore(
  candidates: readonly Candidate[],
  session: SessionSignals,
  weights: RescoreWeights = {},
): Rescored[] {
  const wSim = weights.sessionSimilarity ?? 0.35;
  const wCat = weights.sessionCategory ?? 0.2;
  const wFresh = weights.freshnessBoost ?? 0;
  let total = 0;
  for (const k in session.categories) total += session.categories[k] as number;
  const hasVector = session.vector.length > 0;
  const out: Rescored[] = [];
  for (const c of candidates) {
    if (session.seen.has(c.item_id) || session.hidden.has(c.item_id)) continue;
    const sim = hasVector ? Math.max(0, similarity(session.vector, c)) : 0;
    const share = total > 0 ? (session.categories[c.category] ?? 0) / total : 0;
    out.push({
      candidate: c,
      score: c.score + wSim * sim + wCat * share + wFresh * c.freshness,
      sessionSimilarity: sim,
    });
  }
  out.sort((a, b) => b.score - a.score || (a.candidate.item_id < b.candidate.item_id ? -1 : 1));
  return out;
}
