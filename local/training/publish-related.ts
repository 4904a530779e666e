import { LIST_IDS } from '../../shared/lists';
import type { ItemCatalog } from '../../shared/ports/item-catalog';
import { indexInteractions, type TrainingSet } from './dataset';
import type { Interaction } from './interactions';
import { cosineNeighbours } from './item-knn';

/** Neighbours kept per item: what the related route reads as its co-interaction candidates. */
export const CO_INTERACTION_TOP_K = 50;

export interface PublishRelatedOptions {
  /** @default CO_INTERACTION_TOP_K */
  readonly topK?: number;
  /** Stamped on every list. @default new Date() */
  readonly now?: Date;
  /** Lists written at once; DynamoDB takes one PutItem per list. @default 16 */
  readonly concurrency?: number;
}

/**
 * Each item's co-interacted items, best first: item-item cosine over the users who touched both
 * (item-knn's `cosineNeighbours`). Items with no co-interactions get no entry.
 */
export function coInteractionLists(
  set: Pick<TrainingSet, 'items' | 'matrix'>,
  topK = CO_INTERACTION_TOP_K,
): Map<string, string[]> {
  const nb = cosineNeighbours(set.matrix, topK);
  const lists = new Map<string, string[]>();
  for (let i = 0; i < set.matrix.cols; i++) {
    const from = nb.ptr[i] as number;
    const to = nb.ptr[i + 1] as number;
    if (to === from) continue;
    const ids: string[] = [];
    for (let p = from; p < to; p++) ids.push(set.items.ids[nb.idx[p] as number] as string);
    lists.set(set.items.ids[i] as string, ids);
  }
  return lists;
}

/**
 * The training step behind related items: computes co-interaction lists from the training
 * interactions (or the set the trainer already indexed) and writes each as the StoredList
 * `LIST_IDS.coInteraction(item)`. Items that lost all neighbours keep their previous list until
 * it is overwritten; the route drops unservable ids anyway.
 */
export async function publishRelated(
  catalog: Pick<ItemCatalog, 'putList'>,
  from: readonly Interaction[] | Pick<TrainingSet, 'items' | 'matrix'>,
  opts: PublishRelatedOptions = {},
): Promise<{ lists: number }> {
  const set = isInteractions(from) ? indexInteractions(from) : from;
  const lists = [...coInteractionLists(set, opts.topK ?? CO_INTERACTION_TOP_K)];
  const updated_at = (opts.now ?? new Date()).toISOString();
  const width = Math.max(1, opts.concurrency ?? 16);
  let next = 0;
  const worker = async () => {
    while (next < lists.length) {
      const [itemId, item_ids] = lists[next++] as [string, string[]];
      await catalog.putList({ list_id: LIST_IDS.coInteraction(itemId), item_ids, updated_at });
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, lists.length) }, worker));
  return { lists: lists.length };
}

function isInteractions(
  x: readonly Interaction[] | Pick<TrainingSet, 'items' | 'matrix'>,
): x is readonly Interaction[] {
  return Array.isArray(x);
}
