import { fallbackItems } from '../../shared/fallback-items';
import type { ItemLookup } from '../../shared/ports/item-lookup';
import type { Reason, RecommendedItem } from '../../shared/schemas/recommendation';
import { type HardFilters, passesHardFilters } from '../../shared/scoring/filters';
import type { UserContext } from './context/user-context';
import { takeFromList } from './list-walk';
import type { ListReader } from './retrieval/sources';

export interface LadderDeps {
  readonly lists: ListReader;
  readonly items: ItemLookup;
  readonly timeoutMs: number;
}

export interface LadderRung {
  readonly level: 2 | 3 | 4 | 5;
  readonly items: RecommendedItem[];
  readonly model_version: string;
}

const reasonFor = (level: number, category: string): Reason =>
  level === 2
    ? { code: 'similar', text: 'Picked for you earlier' }
    : level === 3
      ? { code: 'popular', text: `Popular with people like you in ${category}` }
      : level === 4
        ? { code: 'popular', text: `Popular in ${category}` }
        : { code: 'fallback', text: 'Popular picks' };

const page = (
  level: number,
  rows: readonly { item_id: string; category: string; title?: string }[],
  limit: number,
): RecommendedItem[] =>
  rows.slice(0, limit).map((r, position) => ({
    item_id: r.item_id,
    ...(r.title ? { title: r.title } : {}),
    category: r.category,
    score: Math.round((1 / (1 + position)) * 1e6) / 1e6,
    position,
    sponsored: false,
    reasons: [reasonFor(level, r.category)],
  }));

/**
 * The rungs below the funnel, tried in order: 2 the user's last good list (kept with titles and
 * categories, so it serves even when the catalog cannot be read); 3 their segment or country list;
 * 4 the global popular list; 5 the list compiled into the code. Block lists and filters still apply
 * on every rung that knows the item's category. Never empty.
 */
export async function walkLadder(
  deps: LadderDeps,
  ctx: UserContext,
  input: {
    surface: string;
    limit: number;
    filters: HardFilters;
    regionalLists: readonly string[];
    globalList: string;
    /** False for opted-out subjects: their last good list is personal. @default true */
    personal?: boolean;
  },
): Promise<LadderRung> {
  const allowed = (r: { item_id: string; category: string }) =>
    !input.filters.excludeIds?.has(r.item_id) &&
    !input.filters.blockedItems?.has(r.item_id) &&
    !input.filters.blockedCategories?.has(r.category) &&
    !input.filters.purchased?.has(r.item_id);
  // Saved rows carry no price or modality: under such filters level 2 cannot prove a fit and is skipped.
  const lastGood =
    input.personal === false
      ? []
      : (ctx.lastGood.get(input.surface)?.items.filter((r) => passesHardFilters(r, input.filters)) ?? []);
  if (lastGood.length)
    return { level: 2, items: page(2, lastGood, input.limit), model_version: 'last-good-list' };

  for (const [level, ids] of [
    [3, input.regionalLists],
    [4, [input.globalList]],
  ] as const) {
    for (const id of ids) {
      try {
        const kept = await takeFromList(
          { getList: (l) => deps.lists.getList(l), getItems: (i) => deps.items.getItems(i) },
          id,
          {
            need: input.limit,
            keep: (i) => passesHardFilters(i, input.filters),
            timeoutMs: deps.timeoutMs,
          },
        );
        if (kept.length) return { level, items: page(level, kept, input.limit), model_version: `list:${id}` };
      } catch {
        // This rung is down too; try the next one.
      }
    }
  }
  const all = fallbackItems(100);
  const compiled = all.filter((i) => allowed({ item_id: i.item_id, category: i.category ?? '' }));
  return {
    level: 5,
    items: (compiled.length ? compiled : all)
      .slice(0, input.limit)
      .map((i, position) => ({ ...i, position })),
    model_version: 'compiled-fallback',
  };
}
