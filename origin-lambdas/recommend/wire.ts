import type { OriginRuntime } from '../common/runtime';
import { createRecommendApp } from './app';

/** The recommend app over a runtime's adapters; shared by the Lambda handler and the local server. */
export function recommendAppFor(rt: OriginRuntime) {
  return createRecommendApp(
    {
      catalog: rt.catalog(),
      users: rt.users(),
      model: rt.model(),
      popular: rt.popular(),
      optOut: rt.prefs(),
      dynamoTimeoutMs: rt.config.DYNAMODB_TIMEOUT_MS,
      modelTimeoutMs: rt.config.MODEL_TIMEOUT_MS,
    },
    {
      dynamodb: () => rt.catalog().health(),
      model: () => rt.model().health(),
    },
  );
}
