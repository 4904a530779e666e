import type { Interaction } from '../../../local/training/interactions';
import type { CatalogItem } from '../../../shared/ports/item-catalog';
import type { UserStateStore } from '../../../shared/ports/user-state-store';
import type { ItemFacts } from '../../../stream-handlers/common/item-lookup';
import { applyUserEvents } from '../../../stream-handlers/user-state/apply';
import type { UserProfile } from '../../../stream-handlers/user-state/profile';
import { encodeProfile } from '../../../stream-handlers/user-state/profile-codec';
import { ratingEvent } from './events';
import { mapPool, progress } from './progress';

/**
 * Each user's `state` row as the user-state handler leaves it after their training ratings: the
 * handler's own `applyUserEvents` folds them in time order (taste, affinities, mood, sessions,
 * recent items), over the served catalog's vectors. The watermark is dropped: those sequence
 * numbers came from no stream, and the live stream's must not be compared with them.
 */
export function trainedProfiles(
  train: readonly Interaction[],
  items: readonly CatalogItem[],
): Map<string, UserProfile> {
  const facts = new Map<string, ItemFacts>(
    items.map((i) => [i.item_id, { category: i.category, embedding: i.embedding }]),
  );
  const byUser = new Map<string, Interaction[]>();
  for (const x of train) {
    const list = byUser.get(x.user);
    if (list) list.push(x);
    else byUser.set(x.user, [x]);
  }
  const out = new Map<string, UserProfile>();
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.at - b.at || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    const delivered = list.map((x, n) => ({
      event: { ...ratingEvent(x), received_at: new Date(x.at).toISOString() },
      sequenceNumber: String(n + 1).padStart(20, '0'),
    }));
    const next = applyUserEvents(user, undefined, delivered, { items: facts, now: () => new Date(0) });
    if (!next) continue;
    const { watermark: _w, freshness_ms: _f, ...rest } = next;
    out.set(user, { ...rest, version: 0 });
  }
  return out;
}

/** Writes each profile as a new `state` row (version 0 -> 1) through the real user state store. */
export async function writeUserStates(
  store: UserStateStore,
  profiles: readonly UserProfile[],
  concurrency = 8,
): Promise<void> {
  const bar = progress('user state -> DynamoDB', profiles.length, 'users');
  await mapPool(profiles, concurrency, async (p) => {
    if (!(await store.putIfVersion(encodeProfile({ ...p, version: 1 }), 0)))
      throw new Error(`state of ${p.user_id} already exists`);
    bar.add(1);
  });
  bar.finish();
}
