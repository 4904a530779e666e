import { LIST_IDS } from '../../shared/lists';
import type { Reasoner } from '../../shared/ports/reasoner';
import { type Rng, seededRandom } from '../../shared/random';
import type {
  Reason,
  RecommendationQuery,
  RecommendationResponse,
  RecommendedItem,
} from '../../shared/schemas/recommendation';
import { mergeFilters } from '../../shared/scoring/filters';
import { presentPage } from '../../shared/scoring/present';
import { applyRuleOverrides } from '../../shared/scoring/rule-overrides';
import { hardFiltersFromRules, type Surface, surfaceRulesFrom } from '../../shared/scoring/surface-rules';
import { withTimeout } from '../../shared/timeout';
import { logger } from '../common/observability';
import { emptyContext, type UserContext } from './context/user-context';
import type { UserContextReader } from './context/user-context-reader';
import { edgeLists } from './edge-candidates';
import { assignExperiments } from './experiments';
import { type FunnelDeps, runFunnel } from './funnel';
import { walkLadder } from './ladder';
import { OPTED_OUT_MODEL } from './opt-out';
import { planRetrieval } from './retrieval/plan';

export interface RecommendDeps extends FunnelDeps {
  readonly contexts: UserContextReader;
  readonly dynamoTimeoutMs: number;
  readonly now?: () => number;
  /** Seeds the Thompson draws; a fresh stream per request by default. */
  readonly rng?: () => Rng;
  /** Refresh a user's last good list at most this often. @default 300000 */
  readonly lastGoodEveryMs?: number;
  /** Optional language model for explanations of requests marked complex (`explain=true`). */
  readonly reasoner?: Reasoner;
  /** Hard budget of the reasoner call. @default 200 */
  readonly reasonerBudgetMs?: number;
}

export interface RecommendInput
  extends Partial<Omit<RecommendationQuery, 'candidates' | 'session_id' | 'user_id' | 'anonymous_id'>> {
  readonly user_id?: string;
  readonly anonymous_id?: string;
  readonly surface: RecommendationQuery['surface'];
  readonly limit: number;
  readonly requestId: string;
  /** Also return the top scored candidates for the edge to re-score. @default false */
  readonly candidates?: boolean;
}

/**
 * One recommendation request end to end: the subject's context in one read, the full funnel
 * (level 0, or 1 when a source or the model endpoint had to be routed around), and the ladder
 * below it (2 last good list, 3 segment list, 4 global popular, 5 compiled) when the funnel
 * cannot serve. Never throws for a dependency failure and never answers an empty list.
 */
export async function recommend(deps: RecommendDeps, input: RecommendInput): Promise<RecommendationResponse> {
  const now = deps.now?.() ?? Date.now();
  const timings: Record<string, number> = {};
  const time = (name: string, since: number) => {
    timings[name] = Math.round((performance.now() - since) * 100) / 100;
  };
  const started = performance.now();
  const subject = input.user_id ?? `anon:${input.anonymous_id}`;
  const decisionId = crypto.randomUUID();
  const degraded: string[] = [];

  let t0 = performance.now();
  const [ctxResult, rulesResult, experimentsResult] = await Promise.allSettled([
    withTimeout(deps.contexts.read(subject), deps.dynamoTimeoutMs, 'user context'),
    withTimeout(deps.serving.rules(input.surface), deps.dynamoTimeoutMs, 'surface rules'),
    withTimeout(deps.serving.experiments(), deps.dynamoTimeoutMs, 'experiments'),
  ]);
  time('context', t0);
  const ctx: UserContext = ctxResult.status === 'fulfilled' ? ctxResult.value : emptyContext(subject);
  if (ctxResult.status === 'rejected') {
    degraded.push('user_context');
    logger.warn('user context unavailable', { reason: String(ctxResult.reason) });
  }
  const stored = rulesResult.status === 'fulfilled' ? rulesResult.value : undefined;
  if (rulesResult.status === 'rejected') degraded.push('rules');
  if (experimentsResult.status === 'rejected') degraded.push('experiments');
  // Bucketed by the same id the stream's variant counters and the admin assignment use.
  const experiments = assignExperiments(
    experimentsResult.status === 'fulfilled' ? experimentsResult.value : [],
    input.user_id ?? input.anonymous_id ?? subject,
    input.surface,
  );
  if (experiments.ignored.length)
    logger.warn('experiment ranking keys ignored', { keys: experiments.ignored });
  const rules = applyRuleOverrides(surfaceRulesFrom(stored, input.surface as Surface), experiments.overrides);
  const country = input.country ?? ctx.country;
  const filters = mergeFilters(hardFiltersFromRules(stored), {
    blockedCategories: ctx.blockedCategories,
    blockedItems: ctx.blockedItems,
    purchased: ctx.purchased,
    excludeIds: new Set([...(input.exclude ?? []), ...(input.item_id ? [input.item_id] : [])]),
    ...(input.categories?.length ? { categories: new Set(input.categories) } : {}),
    ...(input.modalities?.length ? { modalities: new Set(input.modalities) } : {}),
    ...(input.price_min !== undefined ? { priceMin: input.price_min } : {}),
    ...(input.price_max !== undefined ? { priceMax: input.price_max } : {}),
    ...(country ? { country } : {}),
    ...(ctx.age !== undefined ? { viewerAge: ctx.age } : {}),
  });
  const plan = planRetrieval(ctx, {
    ...(input.item_id ? { itemId: input.item_id } : {}),
    sessionItems: input.session_items ?? [],
    categories: input.categories ?? [],
    ...(country ? { country } : {}),
  });
  const regionalLists = plan.popularLists.filter((id) => id !== LIST_IDS.globalPopular);
  const base = {
    request_id: input.requestId,
    decision_id: decisionId,
    surface: input.surface,
    served_by: 'origin' as const,
    timings_ms: timings,
    ...(experiments.assignments.length ? { experiments: experiments.assignments } : {}),
  };
  const ladder = async (from: string, personal = true) => {
    t0 = performance.now();
    const rung = await walkLadder(
      { lists: deps.retrieval.lists, items: deps.items, timeoutMs: deps.dynamoTimeoutMs },
      ctx,
      {
        surface: input.surface,
        limit: input.limit,
        filters,
        regionalLists,
        globalList: LIST_IDS.globalPopular,
        personal,
      },
    );
    time('ladder', t0);
    timings.total = Math.round((performance.now() - started) * 100) / 100;
    logger.info('served from the fallback ladder', { fallback_level: rung.level, because: from });
    return {
      ...base,
      items: rung.items,
      model_version: rung.model_version,
      fallback_level: rung.level,
      candidates_retrieved: 0,
      candidates_scored: 0,
      degraded,
    } satisfies RecommendationResponse;
  };

  // Without the context we cannot know the user's opt-out or block lists: nothing personal.
  if (ctxResult.status === 'rejected') return ladder('user context unavailable');
  if (ctx.optedOut) {
    const rung = await ladder('opted out', false);
    return { ...rung, model_version: OPTED_OUT_MODEL, fallback_level: 0 };
  }

  const indexFilter = {
    excludeIds: new Set([
      ...(filters.excludeIds ?? []),
      ...(filters.blockedItems ?? []),
      ...(filters.purchased ?? []),
      ...ctx.recentItems.slice(0, 50),
    ]),
    ...(filters.categories?.size ? { categories: filters.categories } : {}),
  };
  let result: Awaited<ReturnType<typeof runFunnel>>;
  try {
    result = await runFunnel(deps, {
      ctx,
      plan,
      surface: input.surface,
      limit: input.limit,
      filters,
      indexFilter,
      rules,
      ...(experiments.modelVersion ? { modelVersion: experiments.modelVersion } : {}),
      sessionItems: input.session_items ?? [],
      ...(input.device ? { device: input.device } : {}),
      ...(country ? { country } : {}),
      now,
      rng: deps.rng?.() ?? seededRandom(Math.floor(Math.random() * 2 ** 31)),
      time,
    });
  } catch (err) {
    degraded.push('funnel');
    logger.warn('funnel failed; walking the ladder', { reason: (err as Error).message });
    return ladder((err as Error).message);
  }

  degraded.push(...result.failedSources.map((s) => `source:${s}`));
  if (result.rank.scorer !== 'endpoint') degraded.push(`scorer:${result.rank.scorer}`);
  const level = degraded.length ? 1 : 0;
  const items: RecommendedItem[] = presentPage(result.page);
  if (items.length === 0) return ladder('empty page');
  if (input.explain && deps.reasoner?.enabled) await rewriteReasons(deps, ctx, items, time);

  const last = ctx.lastGood.get(input.surface);
  if (level === 0 && (!last || now - last.at > (deps.lastGoodEveryMs ?? 300_000))) {
    await withTimeout(
      deps.contexts.saveLastGood(
        subject,
        input.surface,
        items.map((i) => ({
          item_id: i.item_id,
          category: i.category ?? '',
          ...(i.title ? { title: i.title } : {}),
        })),
        now,
      ),
      deps.dynamoTimeoutMs,
      'last good list',
    ).catch((err: Error) => logger.warn('last good list not saved', { reason: err.message }));
  }
  timings.total = Math.round((performance.now() - started) * 100) / 100;
  return {
    ...base,
    items,
    model_version: result.rank.model_version,
    fallback_level: level,
    candidates_retrieved: result.retrieved,
    candidates_scored: result.scored,
    cold_start_stage: plan.stage,
    scorer: result.rank.scorer,
    ...(ctx.embeddingVersion !== undefined && plan.collaborative
      ? { embedding_version: String(ctx.embeddingVersion) }
      : {}),
    ...(degraded.length ? { degraded } : {}),
    ...(input.candidates ? edgeLists(rules, result, experiments.overrides) : {}),
  };
}

/** Lets the reasoner rewrite explanation texts in place, within its budget; any failure keeps them. */
async function rewriteReasons(
  deps: RecommendDeps,
  ctx: UserContext,
  items: RecommendedItem[],
  time: (stage: string, since: number) => void,
) {
  const t0 = performance.now();
  const budgetMs = deps.reasonerBudgetMs ?? 200;
  const top = Object.entries(ctx.affinities)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([c]) => c);
  try {
    const rewrites = await withTimeout(
      (deps.reasoner as Reasoner).rewrite(
        {
          intent: top.length ? `interested in ${top.join(', ')}` : 'new visitor',
          items: items.map((i) => ({
            item_id: i.item_id,
            ...(i.title ? { title: i.title } : {}),
            ...(i.category ? { category: i.category } : {}),
            reason: i.reasons[0] as Reason,
          })),
        },
        { budgetMs },
      ),
      budgetMs,
      'reasoner',
    );
    for (const item of items) {
      const text = rewrites.get(item.item_id);
      const first = item.reasons[0];
      if (text && first) item.reasons[0] = { code: first.code, text };
    }
  } catch (err) {
    logger.warn('reasoner skipped', { reason: (err as Error).message });
  }
  time('reasoner', t0);
}
