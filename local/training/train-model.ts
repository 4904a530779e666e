import type { CatalogItem } from '../../shared/ports/item-catalog';
import { RANKER_FEATURES } from '../../shared/schemas/ranking';
import type { LinearRankerSpec } from '../model-server/linear-ranker';
import { type AlsOptions, trainAls } from './als';
import { toCatalogItems } from './catalog-items';
import { type IndexOptions, indexInteractions, type TrainingSet } from './dataset';
import { foldInSpace } from './fold-in-space';
import { type HistoryEntry, userHistories } from './histories';
import type { Interaction } from './interactions';
import { trainLogistic } from './logistic';
import type { ItemMeta } from './movielens';
import { AttunePipeline } from './pipeline';
import { rankerExamples } from './ranker-examples';

export interface AttuneTrainingOptions {
  /** @default { factors: 32, regularization: 5, alpha: 2, iterations: 10 } */
  readonly als?: AlsOptions;
  /** Per-user recency half-life of the ALS confidences (ms). @default 1 day */
  readonly recencyHalfLifeMs?: number;
  /** Candidates per retrieval source, as the origin retrieves (collaborative 200). @default 200 */
  readonly candidates?: number;
  readonly catalog?: readonly string[];
  readonly meta?: ReadonlyMap<string, ItemMeta>;
  readonly progress?: boolean;
}

/** Everything a trained Attune model consists of. */
export interface AttuneModel {
  readonly set: TrainingSet;
  /** Item embeddings in the fold-in space, row-major `items x dimensions`. */
  readonly vectors: Float64Array;
  readonly dimensions: number;
  readonly items: CatalogItem[];
  readonly ranker: LinearRankerSpec;
  readonly rankerLogLoss: number;
  readonly rankerExamples: number;
  readonly histories: Map<string, HistoryEntry[]>;
  readonly pipeline: AttunePipeline;
}

const DAY_MS = 86_400_000;

/**
 * Trains the whole model from interactions: ALS item factors on recency-weighted confidences,
 * mapped into the fold-in space; catalog rows; and the logistic ranker over the origin's
 * features (RANKER_FEATURES) on examples the origin's retrieval, replayed in process, produces.
 */
export function trainAttune(train: readonly Interaction[], opts: AttuneTrainingOptions = {}): AttuneModel {
  const als = { factors: 32, regularization: 5, alpha: 2, iterations: 10, ...opts.als };
  const set = indexInteractions(train, {
    catalog: opts.catalog,
    recencyHalfLifeMs: opts.recencyHalfLifeMs ?? DAY_MS,
  } satisfies IndexOptions);
  const model = trainAls(set.matrix, { ...als, progress: opts.progress });
  const vectors = foldInSpace(model, als.regularization, set.items.size);
  const firstSeen = new Map<string, number>();
  for (const x of train) firstSeen.set(x.item, Math.min(firstSeen.get(x.item) ?? x.at, x.at));
  const items = toCatalogItems({
    ids: set.items.ids,
    vectors,
    dimensions: model.factors,
    popularity: set.itemUsers,
    firstSeen,
    meta: opts.meta ?? new Map(),
  });
  const histories = userHistories(train, set.items);
  const candidates = opts.candidates ?? 200;
  const retrieval = new AttunePipeline(items, vectors, { candidates });
  const examples = rankerExamples(retrieval, vectors, model.factors, histories.values());
  const fit = trainLogistic(examples, { positiveWeight: 5 });
  const ranker: LinearRankerSpec = {
    featureNames: [...RANKER_FEATURES],
    weights: fit.weights,
    bias: fit.bias,
  };
  return {
    set,
    vectors,
    dimensions: model.factors,
    items,
    ranker,
    rankerLogLoss: fit.logLoss,
    rankerExamples: examples.labels.length,
    histories,
    pipeline: new AttunePipeline(items, vectors, { candidates, ranker }),
  };
}
