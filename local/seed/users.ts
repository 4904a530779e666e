import type { CatalogItem } from '../../shared/ports/item-catalog';
import { seededRandom } from '../../shared/random';
import type { AttuneEvent } from '../../shared/schemas/event';
import { DEMO_CATEGORIES } from './catalog';

export interface DemoUser {
  readonly user_id: string;
  /** The categories this user's latent taste favours. */
  readonly tastes: readonly string[];
}

/** Users with latent tastes: each favours two categories. */
export function generateUsers(count = 500, seed = 7): DemoUser[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const a = Math.floor(rand() * DEMO_CATEGORIES.length);
    const b = (a + 1 + Math.floor(rand() * (DEMO_CATEGORIES.length - 1))) % DEMO_CATEGORIES.length;
    return {
      user_id: `user-${String(i + 1).padStart(4, '0')}`,
      tastes: [DEMO_CATEGORIES[a]!.name, DEMO_CATEGORIES[b]!.name],
    };
  });
}

const TYPES: readonly AttuneEvent['type'][] = [
  'view',
  'view',
  'view',
  'click',
  'click',
  'add_to_cart',
  'purchase',
];

/**
 * A history for each user: mostly items from their favoured categories (90%), the rest random,
 * with deterministic event ids so a re-seed sends the same events (and the stream dedupes them).
 */
export function generateHistory(
  users: readonly DemoUser[],
  catalog: readonly CatalogItem[],
  { perUser = 8, seed = 11, now = Date.now() }: { perUser?: number; seed?: number; now?: number } = {},
): AttuneEvent[] {
  const rand = seededRandom(seed);
  const byCategory = new Map<string, CatalogItem[]>();
  for (const item of catalog.slice(0, 1200)) {
    const list = byCategory.get(item.category) ?? [];
    list.push(item);
    byCategory.set(item.category, list);
  }
  const events: AttuneEvent[] = [];
  users.forEach((u, ui) => {
    for (let k = 0; k < perUser; k++) {
      const pool = rand() < 0.9 ? byCategory.get(u.tastes[k % 2]!)! : catalog;
      const item = pool[Math.floor(rand() ** 2 * pool.length)]!;
      const n = ui * perUser + k;
      events.push({
        event_id: seedUuid(n),
        user_id: u.user_id,
        session_id: `seed-${u.user_id}`,
        type: TYPES[Math.floor(rand() * TYPES.length)]!,
        item_id: item.item_id,
        surface: 'home',
        ts: new Date(now - (perUser - k) * 60_000).toISOString(),
      });
    }
  });
  return events;
}

/** A valid, deterministic UUID (version 4 layout) for seed event n. */
export function seedUuid(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `5eed0000-0000-4000-8000-${hex}`;
}
