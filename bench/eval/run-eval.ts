import { foldHistory, recentFirst } from '../../local/training/histories';
import { cosineNeighbours, knnScores } from '../../local/training/item-knn';
import type { Dataset } from '../../local/training/movielens';
import { AttunePipeline } from '../../local/training/pipeline';
import { type AttuneModel, type AttuneTrainingOptions, trainAttune } from '../../local/training/train-model';
import { evaluateSequential, type SequentialResult } from './sequential';
import { type Split, temporalSplit } from './split';
import { evaluateTopN, type TopNResult, trainedItems } from './topn';

export interface EvalReport {
  readonly methods: Record<string, TopNResult>;
  readonly sequential: SequentialResult;
  readonly ranker: { weights: number[]; bias: number; logLoss: number; examples: number };
  readonly data: { users: number; items: number; train: number; evaluatedUsers: number };
  /** Set by the stack mode (`--via stack`): what served, settings and timings. */
  readonly stack?: Record<string, unknown>;
}

type Log = (msg: string) => void;

/**
 * The whole evaluation on one dataset: split, popularity, cosine item-kNN, Attune's retrieval
 * alone and Attune as served (retrieval, the origin's features, the trained ranker), then the
 * sequential protocol frozen versus streaming.
 */
export async function runEvaluation(
  ds: Dataset,
  opts: AttuneTrainingOptions & { log?: Log } = {},
): Promise<EvalReport> {
  const log = opts.log ?? (() => {});
  const split = temporalSplit(ds.interactions);
  const catalog = [...new Set(ds.interactions.map((x) => x.item))];
  log(
    `split: ${split.train.length} training interactions, ${split.positives.size} users with a test positive`,
  );
  const model = trainAttune(split.train, { ...opts, catalog, meta: ds.items });
  const { set } = model;
  log(
    `ranker: ${model.rankerExamples} examples, weights ${model.ranker.weights.map((w) => w.toFixed(3)).join(', ')}`,
  );

  const methods = await inProcessMethods(model, split, { candidates: opts.candidates ?? 200, log });
  const sequential = evaluateSequential(model, split.test, { users: new Set(split.positives.keys()) });
  log(
    `sequential: frozen HR@10 ${sequential.frozen.hr10.toFixed(4)}, streaming ${sequential.streaming.hr10.toFixed(4)}`,
  );
  return {
    methods,
    sequential,
    ranker: rankerReport(model),
    data: {
      users: set.users.size,
      items: set.items.size,
      train: split.train.length,
      evaluatedUsers: split.positives.size,
    },
  };
}

/** The trained ranker as the report shows it (both evaluation modes). */
export function rankerReport(model: AttuneModel): EvalReport['ranker'] {
  return {
    weights: [...model.ranker.weights],
    bias: model.ranker.bias,
    logLoss: model.rankerLogLoss,
    examples: model.rankerExamples,
  };
}

/**
 * The top-N protocol in process for one trained model: popularity, cosine item-kNN, Attune's
 * retrieval alone and Attune's pipeline (retrieval, the origin's features, the trained ranker).
 */
export async function inProcessMethods(
  model: AttuneModel,
  split: Split,
  opts: { candidates: number; log?: Log },
): Promise<Record<string, TopNResult>> {
  const log = opts.log ?? (() => {});
  const { set } = model;
  const methods: Record<string, TopNResult> = {};
  const pop = Float64Array.from(set.itemUsers);
  methods.popularity = await evaluateTopN(set, split, () => pop);
  log(`popularity NDCG@10 ${methods.popularity.ndcg10.toFixed(4)}`);
  const nb = cosineNeighbours(set.matrix, 1 << 30);
  const out = new Float64Array(set.items.size);
  methods.itemknn = await evaluateTopN(set, split, (u) => {
    knnScores(nb, set.matrix.idx.subarray(set.matrix.ptr[u] as number, set.matrix.ptr[u + 1] as number), out);
    return out;
  });
  log(`item-kNN NDCG@10 ${methods.itemknn.ndcg10.toFixed(4)}`);
  const retrievalOnly = new AttunePipeline(model.items, model.vectors, { candidates: opts.candidates });
  for (const [name, pipeline] of [
    ['attune_retrieval', retrievalOnly],
    ['attune', model.pipeline],
  ] as const) {
    methods[name] = await evaluateTopN(set, split, (u) => {
      const h = model.histories.get(set.users.ids[u] as string) ?? [];
      const state = foldHistory(h, model.vectors, model.dimensions);
      const ranked = pipeline.recommend(
        {
          userVector: state?.sum ?? new Array(model.dimensions).fill(0),
          recentItems: recentFirst(h),
          exclude: trainedItems(set, u),
          now: h[h.length - 1]?.at ?? 0,
        },
        10,
      );
      // topN ranks by score: give the pipeline's list descending scores, everything else none.
      out.fill(Number.NEGATIVE_INFINITY);
      ranked.forEach((item, r) => {
        out[item] = ranked.length - r;
      });
      return out;
    });
    log(`${name} NDCG@10 ${methods[name]?.ndcg10.toFixed(4)}`);
  }
  return methods;
}
