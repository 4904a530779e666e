import { buildFeatures } from '../../origin-lambdas/recommend/features';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { LinearRankerSpec } from '../model-server/linear-ranker';
import { scoreLinear } from '../model-server/linear-ranker';
import { topK } from './top-k';

/** What one request knows: the user's retrieval vector, recent items and what to leave out. */
export interface PipelineRequest {
  /** The user's embedding in the CF space (a fold-in of their history). */
  readonly userVector: ArrayLike<number>;
  /** Most recent first, as the stream handler keeps `recent_items`. */
  readonly recentItems: readonly number[];
  readonly exclude: ReadonlySet<number>;
  /** Request time (epoch ms); drives freshness. */
  readonly now: number;
}

export interface PipelineOptions {
  /** Candidates retrieved before ranking. @default 200 */
  readonly candidates?: number;
  /** Recent items the feature builder sees (the origin reads 10). @default 10 */
  readonly recent?: number;
  /** Ranker; when absent, the retrieval order is returned (retrieval-only ablation). */
  readonly ranker?: LinearRankerSpec;
}

/**
 * Attune's funnel as the origin runs it, with the trained retrieval in front: nearest items by
 * inner product with the user's embedding, then the origin's own `buildFeatures` over those
 * candidates and the trained logistic ranker (`scoreLinear`, the reference the ONNX export is
 * tested against), ordered by score. Diversity rules are off (the origin has none yet).
 */
export class AttunePipeline {
  readonly #k: number;
  readonly #scores: Float64Array;
  constructor(
    private readonly items: readonly CatalogItem[],
    private readonly vectors: Float64Array | Float32Array,
    private readonly opts: PipelineOptions = {},
  ) {
    this.#k = vectors.length / items.length;
    this.#scores = new Float64Array(items.length);
  }

  /** Dense indices of the top `n` items for one request. */
  recommend(req: PipelineRequest, n = 10): number[] {
    const cand = this.retrieve(req);
    const ranker = this.opts.ranker;
    if (!ranker) return cand.slice(0, n);
    const rows = this.features(cand, req);
    const scores = scoreLinear(ranker.weights, ranker.bias, rows, cand.length);
    return cand
      .map((c, i) => ({ c, s: scores[i] as number, r: i }))
      .sort((a, b) => b.s - a.s || a.r - b.r)
      .slice(0, n)
      .map((x) => x.c);
  }

  /** Retrieval: the items with the highest inner product with the user's embedding, best first. */
  retrieve(req: PipelineRequest): number[] {
    const k = this.#k;
    const v = this.vectors;
    for (let j = 0; j < this.items.length; j++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += (v[j * k + d] as number) * (req.userVector[d] as number);
      this.#scores[j] = s;
    }
    return topK(this.#scores, this.opts.candidates ?? 200, req.exclude);
  }

  /** The origin's feature rows for `candidates` under `req`. */
  features(candidates: readonly number[], req: PipelineRequest): number[] {
    const recent = req.recentItems.slice(0, this.opts.recent ?? 10).map((i) => this.items[i] as CatalogItem);
    return buildFeatures(
      candidates.map((c) => this.items[c] as CatalogItem),
      { recentItems: recent },
      req.now,
    );
  }
}
