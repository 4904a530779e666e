import { featureMatrix } from '../../origin-lambdas/recommend/features';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import type { FeatureName } from '../../shared/schemas/features';
import type { LinearRankerSpec } from '../model-server/linear-ranker';
import { scoreLinear } from '../model-server/linear-ranker';
import { type ServedCandidates, ServedRetrieval } from './served-retrieval';

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
  /** Candidates per retrieval source (the origin's depth: collaborative 200). @default 200 */
  readonly candidates?: number;
  /**
   * Recent items the feature builder and content retrieval see; the origin's plan keeps 4
   * anchors and builds the features over them. @default 4
   */
  readonly recent?: number;
  /** Ranker; when absent, the collaborative retrieval order is returned (retrieval-only ablation). */
  readonly ranker?: LinearRankerSpec;
}

/**
 * Attune's funnel as the origin runs it, with the trained retrieval in front: the origin's
 * retrieval sources replayed in process (`ServedRetrieval`: collaborative k-NN by inner product,
 * content k-NN around recent items, the popular list, unioned as the origin unions them), then
 * the origin's own `featureMatrix` over the ranker's declared features and the trained logistic
 * ranker (`scoreLinear`, the reference the ONNX export is tested against), ordered by score.
 * Re-ranking (session, diversity, exploration) is left out.
 */
export class AttunePipeline {
  readonly retrieval: ServedRetrieval;
  constructor(
    private readonly items: readonly CatalogItem[],
    vectors: Float64Array | Float32Array,
    private readonly opts: PipelineOptions = {},
  ) {
    this.retrieval = new ServedRetrieval(items, vectors, {
      depth: opts.candidates ?? 200,
      anchors: opts.recent ?? 4,
    });
  }

  /** Dense indices of the top `n` items for one request. */
  recommend(req: PipelineRequest, n = 10): number[] {
    const ranker = this.opts.ranker;
    if (!ranker) return this.retrieve(req).slice(0, n);
    const served = this.candidates(req);
    const cand = served.candidates;
    const rows = this.features(served, req, ranker.featureNames as readonly FeatureName[]);
    const scores = scoreLinear(ranker.weights, ranker.bias, rows, cand.length);
    return cand
      .map((c, i) => ({ c, s: scores[i] as number, r: i }))
      .sort((a, b) => b.s - a.s || a.r - b.r)
      .slice(0, n)
      .map((x) => x.c);
  }

  /** Collaborative retrieval alone: the items with the highest inner product, best first. */
  retrieve(req: PipelineRequest): number[] {
    return this.retrieval.nearest(req.userVector, this.opts.candidates ?? 200, req.exclude).map((h) => h.i);
  }

  /** Every source's candidates, unioned as the origin unions them. */
  candidates(req: PipelineRequest): ServedCandidates {
    return this.retrieval.retrieve(req);
  }

  /** The origin's feature rows (columns `names`) for `served` under `req`. */
  features(served: ServedCandidates, req: PipelineRequest, names: readonly FeatureName[]): number[] {
    const recent = req.recentItems.slice(0, this.opts.recent ?? 4).map((i) => this.items[i] as CatalogItem);
    return featureMatrix(
      served.candidates.map((c) => this.items[c] as CatalogItem),
      { recentItems: recent, retrieval: served.retrieved },
      req.now,
      names,
    );
  }
}
