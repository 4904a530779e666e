import { z } from 'zod';
import { dequantizeVector } from '../embedding/quantize';
import { SOURCES } from '../scoring/candidate';

// A hand-written check: the edge validates a few hundred 32-d vectors on every cache hit, and
// an element-wise zod array costs several times more CPU than this loop for the same guarantee.
const finiteVector = z.custom<number[]>(
  (v) => Array.isArray(v) && v.length <= 256 && v.every((x) => typeof x === 'number' && Number.isFinite(x)),
  { message: 'expected an array of at most 256 finite numbers' },
);

/** One cached candidate, the wire form of `Candidate` in shared/scoring/candidate.ts. */
export const candidateSchema = z.object({
  item_id: z.string(),
  category: z.string(),
  score: z.number(),
  source: z.enum(SOURCES),
  popularity: z.number(),
  freshness: z.number(),
  vector: finiteVector.optional(),
  /** The vector quantized (shared/embedding/quantize.ts): what the origin sends the edge. */
  vq: z.string().max(1400).optional(),
  title: z.string().optional(),
  sponsored: z.boolean().optional(),
  campaign_id: z.string().optional(),
  anchor_title: z.string().optional(),
});

export type CachedCandidate = z.infer<typeof candidateSchema>;

/** A candidate's vector, from `vector` or decoded from `vq`. */
export function candidateVector(c: Pick<CachedCandidate, 'vector' | 'vq'>): number[] | undefined {
  if (c.vector) return c.vector;
  return c.vq ? dequantizeVector(c.vq) : undefined;
}

/** Candidates ready for the scoring core: quantized vectors decoded once, the rest untouched. */
export function decodeCandidates(candidates: readonly CachedCandidate[]): CachedCandidate[] {
  return candidates.map((c) => {
    if (!c.vq) return c;
    const { vq, ...rest } = c;
    return { ...rest, vector: dequantizeVector(vq) };
  });
}
