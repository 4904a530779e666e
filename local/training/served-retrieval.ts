import {
  type Retrieved,
  rankScore,
  unionCandidates,
} from '../../origin-lambdas/recommend/retrieval/retrieved';
import { cos01 } from '../../origin-lambdas/recommend/retrieval/sources';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { collaborativeScores } from '../../shared/ranking/collaborative-score';
import { meanVector } from '../../shared/vector-math';
import { topK } from './top-k';

export interface ServedRetrievalOptions {
  /** Candidates per source, as the origin's `retrieve` (collaborative 200). @default 200 */
  readonly depth?: number;
  /** Anchors of content retrieval: the most recent items (the origin's plan keeps 4). @default 4 */
  readonly anchors?: number;
}

/** What retrieval knows of one request. */
export interface RetrievalRequest {
  readonly userVector: ArrayLike<number>;
  /** Most recent first. */
  readonly recentItems: readonly number[];
  readonly exclude: ReadonlySet<number>;
}

export interface ServedCandidates {
  /** Dense item indices, in the union's order. */
  readonly candidates: number[];
  /** The winning source and score per item id, as the origin hands `featureMatrix`. */
  readonly retrieved: Map<string, Retrieved>;
}

/**
 * The origin's retrieval (`origin-lambdas/recommend/retrieval/retrieve.ts`) for a user in the
 * collaborative stage, replayed exactly over an in-memory catalog so the ranker trains on the
 * candidates and `retrieval_score`/`src_*` values serving produces: collaborative k-NN by inner
 * product (scored with the shared `collaborativeScores`), content k-NN around up to four recent
 * items and their mean (the `content` source's per-anchor budget and `cos01` of the inner
 * product), the global popular list (`rankScore`), unioned with the origin's `unionCandidates`
 * and filtered by the exclusions. Trending is empty, as it is for a replay of old ratings.
 */
export class ServedRetrieval {
  readonly #k: number;
  readonly #popular: number[];
  readonly #scores: Float64Array;
  readonly #index: Map<string, number>;

  constructor(
    private readonly items: readonly CatalogItem[],
    private readonly vectors: Float64Array | Float32Array,
    private readonly opts: ServedRetrievalOptions = {},
  ) {
    this.#k = vectors.length / Math.max(1, items.length);
    this.#scores = new Float64Array(items.length);
    this.#index = new Map(items.map((it, i) => [it.item_id, i]));
    // The lists job's global list without trends: catalog popularity, ties by id.
    this.#popular = items
      .map((it, i) => ({ i, p: it.popularity, id: it.item_id }))
      .sort((a, b) => b.p - a.p || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((x) => x.i);
  }

  /** The items with the highest inner product with `query`, best first, with their products. */
  nearest(query: ArrayLike<number>, n: number, exclude: ReadonlySet<number>): { i: number; s: number }[] {
    const k = this.#k;
    const v = this.vectors;
    for (let j = 0; j < this.items.length; j++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += (v[j * k + d] as number) * (query[d] as number);
      this.#scores[j] = s;
    }
    return topK(this.#scores, n, exclude).map((i) => ({ i, s: this.#scores[i] as number }));
  }

  /** Candidates and their retrieval entries for one request. */
  retrieve(req: RetrievalRequest): ServedCandidates {
    const depth = this.opts.depth ?? 200;
    const id = (i: number) => (this.items[i] as CatalogItem).item_id;
    const collab = this.nearest(req.userVector, depth, req.exclude);
    const collabScores = collaborativeScores(collab.map((h) => h.s));
    const lists: Retrieved[][] = [
      collab.map((h, r) => ({ item_id: id(h.i), source: 'collaborative', score: collabScores[r] as number })),
    ];
    const anchors = req.recentItems.slice(0, this.opts.anchors ?? 4);
    if (anchors.length) {
      const per = Math.max(10, Math.ceil(depth / anchors.length));
      const queries = anchors.map((a) => ({ q: (this.items[a] as CatalogItem).embedding, a }));
      if (anchors.length > 1)
        queries.push({ q: meanVector(queries.map((x) => x.q)), a: anchors[0] as number });
      lists.push(
        queries.flatMap(({ q, a }) =>
          this.nearest(q, per, req.exclude).map(
            (h): Retrieved => ({ item_id: id(h.i), source: 'content', score: cos01(h.s), anchor_id: id(a) }),
          ),
        ),
      );
    }
    lists.push(
      this.#popular
        .slice(0, Math.ceil(depth / 4))
        .map((i, rank) => ({ item_id: id(i), source: 'popular', score: rankScore(rank) })),
    );
    const index = this.#index;
    const union = unionCandidates(lists).filter((r) => !req.exclude.has(index.get(r.item_id) as number));
    return {
      candidates: union.map((r) => index.get(r.item_id) as number),
      retrieved: new Map(union.map((r) => [r.item_id, r])),
    };
  }
}
