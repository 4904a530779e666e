import type { OriginRuntime } from '../common/runtime';
import { registerRelatedRoute } from '../related/route';
import { createRecommendApp } from './app';
import { CachedListReader } from './retrieval/cached-lists';

/** The recommend app over a runtime's adapters; shared by the Lambda handler and the local server. */
export function recommendAppFor(rt: OriginRuntime) {
  const timeoutMs = rt.config.DYNAMODB_TIMEOUT_MS;
  return createRecommendApp(
    {
      contexts: rt.contexts(),
      items: rt.items(),
      ranker: rt.ranker(),
      serving: rt.serving(),
      retrieval: {
        index: rt.index(),
        trending: rt.trending(),
        lists: new CachedListReader(rt.catalog(), rt.config.LISTS_CACHE_MS),
        timeoutMs: rt.config.RETRIEVAL_TIMEOUT_MS,
      },
      dynamoTimeoutMs: timeoutMs,
      reasoner: rt.reasoner(),
      reasonerBudgetMs: rt.config.REASONER_BUDGET_MS,
    },
    {
      dynamodb: () => rt.catalog().health(),
      model: () => rt.model().health(),
    },
    (app) =>
      registerRelatedRoute(app, {
        catalog: rt.catalog(),
        index: rt.index(),
        contexts: rt.contexts(),
        dynamoTimeoutMs: timeoutMs,
      }),
  );
}
