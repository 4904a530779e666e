import type { CatalogItem, StoredList } from '../../../shared/ports/item-catalog';
import type { VectorIndex, VectorSearchOptions } from '../../../shared/ports/vector-index';
import { collaborativeScores } from '../../../shared/ranking/collaborative-score';
import { meanVector } from '../../../shared/vector-math';
import type { ItemTrend, TrendScope, TrendWindow } from '../../adapters/dynamodb-trending-reader';
import { type Retrieved, rankScore } from './retrieved';

/** What the trending source needs of the trending table. */
export interface TrendingReader {
  trendingItems(scope: TrendScope, window: TrendWindow, limit?: number): Promise<ItemTrend[]>;
  /** Windowed counts of these candidates (CTR for the ranker); absent items get zeros. */
  itemStats?(
    items: readonly { item_id: string; category: string }[],
    window: TrendWindow,
  ): Promise<Map<string, ItemTrend>>;
}

/** What list-backed sources need of the catalog. */
export interface ListReader {
  getList(listId: string): Promise<StoredList | undefined>;
}

/** A similarity or normalized score clamped to [0, 1] (content hits, trending). */
export const cos01 = (score: number) => Math.max(0, Math.min(1, score));

/**
 * Collaborative: nearest items to the user's taste embedding (maximum inner product under the
 * default VECTOR_METRIC), scored with the shared `collaborativeScores` the ranker was trained on.
 */
export async function collaborative(
  index: VectorIndex,
  embedding: readonly number[],
  k: number,
  filter: VectorSearchOptions,
): Promise<Retrieved[]> {
  const hits = await index.search(embedding, k, filter);
  const scores = collaborativeScores(hits.map((h) => h.score));
  return hits.map((h, i) => ({ item_id: h.id, source: 'collaborative', score: scores[i] as number }));
}

/**
 * Content: nearest items to each anchor (the item on screen, session items, recent items), the
 * budget split between anchors so one anchor cannot fill the list; plus one query on their mean.
 */
export async function content(
  index: VectorIndex,
  anchors: readonly CatalogItem[],
  k: number,
  filter: VectorSearchOptions,
): Promise<Retrieved[]> {
  const usable = anchors.filter((a) => a.embedding.length === index.dimensions).slice(0, 4);
  if (!usable.length) return [];
  const per = Math.max(10, Math.ceil(k / usable.length));
  const lists = await Promise.all(
    usable.map(async (a) =>
      (await index.search(a.embedding, per, filter)).map(
        (h): Retrieved => ({ item_id: h.id, source: 'content', score: cos01(h.score), anchor_id: a.item_id }),
      ),
    ),
  );
  if (usable.length > 1) {
    const mean = meanVector(usable.map((a) => a.embedding));
    const hits = await index.search(mean, per, filter);
    lists.push(
      hits.map((h) => ({
        item_id: h.id,
        source: 'content',
        score: cos01(h.score),
        anchor_id: usable[0]?.item_id as string,
      })),
    );
  }
  return lists.flat();
}

/** Trending: the most interacted-with items of the last hour, in the user's strong categories when known. */
export async function trending(
  reader: TrendingReader,
  categories: readonly string[],
  k: number,
): Promise<Retrieved[]> {
  const window = { minutes: 60 };
  const lists = categories.length
    ? await Promise.all(categories.slice(0, 3).map((c) => reader.trendingItems({ category: c }, window, k)))
    : [await reader.trendingItems('global', window, k)];
  const all = lists.flat();
  const top = Math.max(1e-9, ...all.map((t) => t.score));
  return all.map((t) => ({ item_id: t.item_id, source: 'trending', score: cos01(t.score / top) }));
}

/** List-backed source (segment, country, category or global popular; editorial picks). */
export async function fromLists(
  reader: ListReader,
  listIds: readonly string[],
  k: number,
  source: 'popular' | 'editorial',
): Promise<Retrieved[]> {
  const lists = await Promise.all(listIds.map((id) => reader.getList(id)));
  return lists.flatMap((l) =>
    (l?.item_ids ?? []).slice(0, k).map((item_id, rank) => ({ item_id, source, score: rankScore(rank) })),
  );
}
