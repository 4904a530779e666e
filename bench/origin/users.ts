import { DEMO_CATEGORIES } from '../../local/seed/catalog';
import { generateUsers } from '../../local/seed/users';
import { LIST_IDS } from '../../shared/lists';
import type { CatalogItem, ItemCatalog } from '../../shared/ports/item-catalog';
import type { UserStateStore } from '../../shared/ports/user-state-store';
import { seededRandom } from '../../shared/random';
import { EMBEDDING_VERSION, type UserProfile } from '../../stream-handlers/user-state/profile';
import { encodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { progress } from './progress';

const RECENT = 10;

/**
 * Users as the user-state handler would have left them after ten interactions each: recent
 * items from their two favoured categories (skewed to popular items), the taste sum of those
 * items' vectors, its unit direction as the embedding, and per-category affinities.
 */
export function benchProfiles(items: readonly CatalogItem[], count: number, now: number): UserProfile[] {
  const rand = seededRandom(1234);
  const cats = DEMO_CATEGORIES.length;
  return generateUsers(count).map((u, n) => {
    const recent: CatalogItem[] = [];
    for (let k = 0; k < RECENT; k++) {
      const c = DEMO_CATEGORIES.findIndex((d) => d.name === u.tastes[k % 2]);
      // generateCatalog puts item i in category i % cats, so a category's items are c, c+cats, ...
      const inCategory = Math.floor((items.length - 1 - c) / cats) + 1;
      const item = items[c + cats * Math.floor(rand() ** 2 * inCategory)];
      if (item && !recent.includes(item)) recent.push(item);
    }
    const sum = new Array<number>(recent[0]?.embedding.length ?? 0).fill(0);
    const scores: Record<string, number> = {};
    recent.forEach((item, age) => {
      const w = 0.95 ** age;
      item.embedding.forEach((x, d) => {
        sum[d] = (sum[d] as number) + w * x;
      });
      scores[item.category] = (scores[item.category] ?? 0) + w;
    });
    const norm = Math.hypot(...sum) || 1;
    const at = now - n * 1000;
    return {
      user_id: `bench-${u.user_id}`,
      event_count: recent.length,
      recent_items: recent.map((i) => i.item_id),
      last_event_type: 'click',
      last_event_at: new Date(at).toISOString(),
      updated_at: new Date(at).toISOString(),
      version: 1,
      taste: { sum, at },
      embedding: sum.map((x) => x / norm),
      embedding_version: EMBEDDING_VERSION,
      affinities: { scores, at },
    };
  });
}

/** Writes each profile as a new `state` row (version 0 -> 1), `concurrency` writes in flight. */
export async function writeProfiles(
  store: UserStateStore,
  profiles: readonly UserProfile[],
  concurrency: number,
): Promise<{ seconds: number; users_per_s: number }> {
  const bar = progress('user state rows', profiles.length, 'users', 5000);
  let next = 0;
  const writer = async () => {
    while (next < profiles.length) {
      const p = profiles[next++] as UserProfile;
      if (!(await store.putIfVersion(encodeProfile(p), 0))) throw new Error(`${p.user_id} already exists`);
      bar.add(1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  const { seconds, perSecond } = bar.finish();
  return { seconds, users_per_s: perSecond };
}

/**
 * The precomputed lists the fallbacks read: `popular:global` (top 300 by popularity) and the top
 * 100 of each category.
 */
export async function writePopularLists(
  catalog: ItemCatalog,
  items: readonly CatalogItem[],
): Promise<number> {
  const order = Array.from(items.keys()).sort(
    (a, b) => (items[b]?.popularity ?? 0) - (items[a]?.popularity ?? 0) || a - b,
  );
  const updated_at = new Date().toISOString();
  const ids = (rows: number[]) => rows.map((r) => (items[r] as CatalogItem).item_id);
  await catalog.putList({ list_id: LIST_IDS.globalPopular, item_ids: ids(order.slice(0, 300)), updated_at });
  for (const cat of DEMO_CATEGORIES) {
    const rows = order.filter((r) => items[r]?.category === cat.name).slice(0, 100);
    await catalog.putList({ list_id: LIST_IDS.categoryPopular(cat.name), item_ids: ids(rows), updated_at });
  }
  return 1 + DEMO_CATEGORIES.length;
}
