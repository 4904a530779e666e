import type { TrainingSet } from '../../../local/training/dataset';
import { coverage, hitRateAt, mean, ndcgAt, novelty, recallAt } from '../metrics';
import type { TopNResult } from '../topn';
import { mapPool, progress } from './progress';
import { type OriginApp, ServedStats, servedTop } from './served-client';

/** One evaluated user as the served top-N sees them. */
export interface ServedUser {
  readonly user: string;
  readonly relevant: ReadonlySet<string>;
  readonly trained: ReadonlySet<string>;
  /** Training items to send as `exclude`, beyond the recent items the origin drops itself. */
  readonly exclude: readonly string[];
}

/**
 * The top-N protocol against the origin app: each user's top 10 from `GET /v1/recommendations`
 * on `surface`, training items excluded, scored as the in-process protocol scores its lists.
 */
export async function evaluateServedTopN(
  app: OriginApp,
  set: TrainingSet,
  users: readonly ServedUser[],
  opts: { surface: string; concurrency: number; label: string },
): Promise<{ result: TopNResult; stats: ServedStats }> {
  const stats = new ServedStats();
  const bar = progress(opts.label, users.length, 'req');
  const lists = await mapPool(users, opts.concurrency, async (u) => {
    const answer = await servedTop(app, {
      user: u.user,
      surface: opts.surface,
      trained: u.trained,
      exclude: u.exclude,
    });
    stats.add(answer);
    bar.add(1);
    return answer.items;
  });
  bar.finish();
  const nd = users.map((u, i) => ndcgAt(lists[i] as string[], u.relevant, 10));
  const counts = new Map(set.items.ids.map((id, i) => [id, set.itemUsers[i] as number]));
  const result: TopNResult = {
    ndcg10: mean(nd),
    recall10: mean(users.map((u, i) => recallAt(lists[i] as string[], u.relevant, 10))),
    hr10: mean(users.map((u, i) => hitRateAt(lists[i] as string[], u.relevant, 10))),
    coverage: coverage(lists, set.items.size),
    novelty: novelty(lists, counts, set.users.size),
    users: users.length,
    perUser: users.map((u, i) => ({ user: u.user, trainSize: u.trained.size, ndcg10: nd[i] as number })),
  };
  return { result, stats };
}
