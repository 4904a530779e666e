import { foldHistory, type HistoryEntry, recentFirst } from '../../local/training/histories';
import type { Interaction } from '../../local/training/interactions';
import type { AttuneModel } from '../../local/training/train-model';
import type { TasteState } from '../../shared/embedding/fold-in';
import type { ItemFacts } from '../../stream-handlers/common/item-lookup';
import { applyUserEvents } from '../../stream-handlers/user-state/apply';
import type { UserProfile } from '../../stream-handlers/user-state/profile';
import { mean } from './metrics';
import { trainedItems } from './topn';

export interface SequentialResult {
  readonly frozen: { hr10: number; ndcg10: number };
  readonly streaming: { hr10: number; ndcg10: number };
  readonly steps: number;
  readonly users: number;
}

/**
 * The sequential protocol: replay each user's test interactions in time order; before each one
 * ask for the top 10 and score whether the next item is in it (HR@10, and NDCG@10 with one
 * relevant item). Frozen: the state at the end of training answers every step. Streaming: after
 * each step the interaction, as a `rating` event, goes through the user-state stream handler's
 * own `applyUserEvents` (in process, not through Kinesis): its taste fold-in and `recent_items`
 * feed the next request, and recent items are excluded as the origin excludes them.
 */
export function evaluateSequential(
  model: AttuneModel,
  test: ReadonlyMap<string, readonly Interaction[]>,
  opts: { users?: ReadonlySet<string> } = {},
): SequentialResult {
  const k = model.dimensions;
  const facts = new Map<string, ItemFacts>(
    model.items.map((it, i) => [
      it.item_id,
      { category: it.category, embedding: Array.from(model.vectors.subarray(i * k, i * k + k)) },
    ]),
  );
  let sequence = 0;
  const frozen: { hit: number[]; ndcg: number[] } = { hit: [], ndcg: [] };
  const streaming: { hit: number[]; ndcg: number[] } = { hit: [], ndcg: [] };
  let users = 0;
  for (const [user, events] of test) {
    if (opts.users && !opts.users.has(user)) continue;
    const u = model.set.users.get(user);
    const history = model.histories.get(user);
    if (u === undefined || !history?.length || !events.length) continue;
    users++;
    const base = foldHistory(history, model.vectors, k) as TasteState;
    const exclude = trainedItems(model.set, u);
    const lastAt = (history[history.length - 1] as HistoryEntry).at;
    const frozenList = model.pipeline.recommend(
      { userVector: base.sum, recentItems: recentFirst(history), exclude, now: lastAt },
      10,
    );
    let profile: UserProfile = {
      user_id: user,
      event_count: history.length,
      recent_items: recentFirst(history).map((i) => model.set.items.ids[i] as string),
      version: 0,
      taste: base,
    };
    for (const x of events) {
      const item = model.set.items.get(x.item);
      if (item === undefined) continue;
      score(frozen, frozenList, item);
      const recent = profile.recent_items.map((id) => model.set.items.get(id) as number);
      const list = model.pipeline.recommend(
        {
          userVector: (profile.taste as TasteState).sum,
          recentItems: recent,
          exclude: new Set([...exclude, ...recent]),
          now: x.at,
        },
        10,
      );
      score(streaming, list, item);
      sequence++;
      const event = {
        event_id: crypto.randomUUID(),
        user_id: user,
        session_id: 'eval',
        type: 'rating' as const,
        item_id: x.item,
        rating: x.value,
        ts: new Date(x.at).toISOString(),
        received_at: new Date(x.at).toISOString(),
      };
      profile =
        applyUserEvents(user, profile, [{ event, sequenceNumber: String(sequence).padStart(20, '0') }], {
          items: facts,
        }) ?? profile;
    }
  }
  const summarize = (s: { hit: number[]; ndcg: number[] }) => ({ hr10: mean(s.hit), ndcg10: mean(s.ndcg) });
  return { frozen: summarize(frozen), streaming: summarize(streaming), steps: frozen.hit.length, users };
}

function score(acc: { hit: number[]; ndcg: number[] }, list: readonly number[], target: number): void {
  const rank = list.indexOf(target);
  acc.hit.push(rank >= 0 ? 1 : 0);
  acc.ndcg.push(rank >= 0 ? 1 / Math.log2(rank + 2) : 0);
}
