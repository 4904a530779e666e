import type { TrainingSet } from '../../local/training/dataset';
import { topK } from '../../local/training/top-k';
import { coverage, hitRateAt, mean, ndcgAt, novelty, recallAt } from './metrics';
import type { Split } from './split';

/** Scores every catalogue item for a training user (dense index), higher is better. */
export type Scorer = (user: number) => Promise<ArrayLike<number>> | ArrayLike<number>;

/** A method's top-N results, overall and per user. */
export interface TopNResult {
  readonly ndcg10: number;
  readonly recall10: number;
  readonly hr10: number;
  readonly coverage: number;
  readonly novelty: number;
  readonly users: number;
  /** Per evaluated user: id, training size and NDCG@10 (for activity buckets). */
  readonly perUser: { user: string; trainSize: number; ndcg10: number }[];
}

/** The items user `u` touched in training (never recommended back under this protocol). */
export function trainedItems(set: TrainingSet, u: number): Set<number> {
  const m = set.matrix;
  return new Set(Array.from(m.idx.subarray(m.ptr[u] as number, m.ptr[u + 1] as number)));
}

/**
 * Runs the top-N protocol for one scorer: full ranking over every catalogue item the user has
 * no training interaction with, metrics at 10, averaged over users with a test positive.
 */
export async function evaluateTopN(
  set: TrainingSet,
  split: Split,
  score: Scorer,
  k = 10,
): Promise<TopNResult> {
  const nd: number[] = [];
  const rc: number[] = [];
  const hr: number[] = [];
  const lists: string[][] = [];
  const perUser: TopNResult['perUser'] = [];
  for (const [user, relevant] of split.positives) {
    const u = set.users.get(user);
    if (u === undefined) continue;
    const exclude = trainedItems(set, u);
    const ranked = topK(await score(u), k, exclude).map((i) => set.items.ids[i] as string);
    lists.push(ranked);
    const n = ndcgAt(ranked, relevant, k);
    nd.push(n);
    rc.push(recallAt(ranked, relevant, k));
    hr.push(hitRateAt(ranked, relevant, k));
    perUser.push({ user, trainSize: exclude.size, ndcg10: n });
  }
  const counts = new Map(set.items.ids.map((id, i) => [id, set.itemUsers[i] as number]));
  return {
    ndcg10: mean(nd),
    recall10: mean(rc),
    hr10: mean(hr),
    coverage: coverage(lists, set.items.size),
    novelty: novelty(lists, counts, set.users.size),
    users: nd.length,
    perUser,
  };
}
