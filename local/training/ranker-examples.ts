import { seededRandom } from '../../shared/random';
import type { FeatureName } from '../../shared/schemas/features';
import { RANKER_FEATURES } from '../../shared/schemas/ranking';
import type { HistoryEntry } from './histories';
import { foldHistory, recentFirst } from './histories';
import type { RankerExamples } from './logistic';
import type { AttunePipeline } from './pipeline';

export interface ExampleOptions {
  /** Share of each user's history used as context; the rest supplies the positives. @default 0.8 */
  readonly contextFraction?: number;
  /** Users need this many interactions to contribute. @default 10 */
  readonly minHistory?: number;
  /** Negatives kept per user, sampled from the retrieved candidates. @default 20 */
  readonly negativesPerUser?: number;
  /** A later interaction counts as positive at this value or above. @default 4 */
  readonly minPositive?: number;
  /** @default 11 */
  readonly seed?: number;
  /** Feature columns of each row. @default RANKER_FEATURES */
  readonly features?: readonly FeatureName[];
}

/**
 * Ranker training rows built the way the ranker is used: each user's history is cut in time,
 * the early part folded into their embedding, the pipeline retrieves candidates from the origin's
 * sources (so `retrieval_score` and `src_*` are what serving computes), and candidates
 * the user went on to like are positives; other candidates are sampled negatives (the hard ones
 * the retrieval actually proposes, not random catalogue items).
 */
export function rankerExamples(
  pipeline: AttunePipeline,
  vectors: Float64Array | Float32Array,
  k: number,
  histories: Iterable<readonly HistoryEntry[]>,
  opts: ExampleOptions = {},
): RankerExamples {
  const rand = seededRandom(opts.seed ?? 11);
  const frac = opts.contextFraction ?? 0.8;
  const features: number[] = [];
  const labels: number[] = [];
  let width = 0;
  for (const h of histories) {
    if (h.length < (opts.minHistory ?? 10)) continue;
    const cut = Math.floor(h.length * frac);
    const context = h.slice(0, cut);
    const later = new Set(
      h
        .slice(cut)
        .filter((e) => e.value >= (opts.minPositive ?? 4))
        .map((e) => e.item),
    );
    if (later.size === 0) continue;
    const state = foldHistory(context, vectors, k);
    if (!state) continue;
    const req = {
      userVector: state.sum,
      recentItems: recentFirst(context),
      exclude: new Set(context.map((e) => e.item)),
      now: (context[context.length - 1] as HistoryEntry).at,
    };
    const served = pipeline.candidates(req);
    const cand = served.candidates;
    const rows = pipeline.features(served, req, opts.features ?? RANKER_FEATURES);
    width = (opts.features ?? RANKER_FEATURES).length;
    const negatives = cand.map((c, i) => ({ c, i })).filter(({ c }) => !later.has(c));
    const keepNeg = new Set(
      negatives
        .map((x) => ({ x, r: rand() }))
        .sort((a, b) => a.r - b.r)
        .slice(0, opts.negativesPerUser ?? 20)
        .map(({ x }) => x.i),
    );
    cand.forEach((c, i) => {
      if (!later.has(c) && !keepNeg.has(i)) return;
      features.push(...rows.slice(i * width, i * width + width));
      labels.push(later.has(c) ? 1 : 0);
    });
  }
  return { features, labels, width };
}
