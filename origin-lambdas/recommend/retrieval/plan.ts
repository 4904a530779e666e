import { LIST_IDS } from '../../../shared/lists';
import type { RecommendationResponse } from '../../../shared/schemas/recommendation';
import type { UserContext } from '../context/user-context';

export type ColdStartStage = NonNullable<RecommendationResponse['cold_start_stage']>;

/** What the request says beyond the user: the item on screen, session items, filters. */
export interface RequestSignals {
  readonly itemId?: string;
  readonly sessionItems: readonly string[];
  readonly categories: readonly string[];
  readonly country?: string;
}

/** Which sources run for a request, and with what. */
export interface RetrievalPlan {
  readonly stage: ColdStartStage;
  /** Items whose vectors anchor content retrieval, most relevant first. */
  readonly anchorIds: readonly string[];
  readonly collaborative: boolean;
  /** Categories trending is read in; empty for global. */
  readonly trendCategories: readonly string[];
  /** Popular lists, most specific first. */
  readonly popularLists: readonly string[];
}

/** Events before the taste embedding is trusted for collaborative retrieval. */
export const COLLABORATIVE_MIN_EVENTS = 5;

const unique = (xs: readonly (string | undefined)[]) => [
  ...new Set(xs.filter((x): x is string => Boolean(x))),
];

/**
 * Cold start as a progression: no history -> popular in the user's segment or region; chosen or
 * context categories -> popular in those categories; a few events or a session -> content-based
 * on what they touched; enough history -> collaborative on the taste embedding.
 */
export function planRetrieval(ctx: UserContext, req: RequestSignals): RetrievalPlan {
  const anchorIds = unique([
    req.itemId,
    ...req.sessionItems,
    ...(ctx.session?.recent_items ?? []),
    ...ctx.recentItems,
  ]).slice(0, 4);
  const strong = Object.entries(ctx.affinities)
    .filter(([, a]) => a >= 0.3)
    .sort((a, b) => b[1] - a[1])
    .map(([c]) => c);
  const categories = unique([...req.categories, ...ctx.onboardingCategories]);
  const country = req.country ?? ctx.country;
  const regional = unique([
    ...ctx.segments.slice(0, 2).map(LIST_IDS.segmentPopular),
    country ? LIST_IDS.countryPopular(country) : undefined,
  ]);
  const stage: ColdStartStage =
    ctx.embedding && ctx.eventCount >= COLLABORATIVE_MIN_EVENTS
      ? 'collaborative'
      : anchorIds.length > 0
        ? 'content'
        : categories.length > 0
          ? 'category'
          : 'popular';
  return {
    stage,
    anchorIds,
    collaborative: stage === 'collaborative',
    trendCategories: categories.length ? categories.slice(0, 3) : strong.slice(0, 3),
    popularLists: [
      ...categories.slice(0, 3).map(LIST_IDS.categoryPopular),
      ...regional,
      LIST_IDS.globalPopular,
    ],
  };
}
