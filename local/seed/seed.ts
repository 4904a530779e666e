import { LIST_IDS } from '../../shared/lists';
import type { ItemCatalog } from '../../shared/ports/item-catalog';
import { generateCatalog } from './catalog';
import { generateHistory, generateUsers } from './users';

export interface SeedOptions {
  readonly catalog: ItemCatalog;
  /** Origin base URL: seed events go through the real ingest path (Kinesis, stream handlers). */
  readonly originUrl: string;
  readonly items?: number;
  readonly users?: number;
  readonly log?: (msg: string) => void;
}

/**
 * Loads the demo catalog and popular list through the catalog adapter, then sends each demo
 * user's history through the origin's ingest API, the same path production events take.
 * Skips everything when the catalog already holds the popular list (a restart keeps its data).
 */
export async function seedIfEmpty(
  opts: SeedOptions,
): Promise<{ seeded: boolean; items: number; events: number }> {
  const log = opts.log ?? (() => {});
  if (await opts.catalog.getList(LIST_IDS.globalPopular)) return { seeded: false, items: 0, events: 0 };
  const items = generateCatalog({ items: opts.items ?? 3000 });
  log(`seeding ${items.length} items`);
  await opts.catalog.putItems(items);
  const byPopularity = [...items].sort((a, b) => b.popularity - a.popularity).map((i) => i.item_id);
  const users = generateUsers(opts.users ?? 500);
  const events = generateHistory(users, items);
  log(`sending ${events.length} events for ${users.length} users through ingest`);
  for (let i = 0; i < events.length; i += 500) {
    const res = await fetch(`${opts.originUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events.slice(i, i + 500)),
    });
    if (res.status !== 202) throw new Error(`seed ingest answered ${res.status}: ${await res.text()}`);
  }
  // The popular list goes last: its presence marks a complete seed.
  await opts.catalog.putList({
    list_id: LIST_IDS.globalPopular,
    item_ids: byPopularity.slice(0, 500),
    updated_at: new Date().toISOString(),
  });
  return { seeded: true, items: items.length, events: events.length };
}
