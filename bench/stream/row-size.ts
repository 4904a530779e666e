import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { generateCatalog } from '../../local/seed/catalog';
import type { StreamEvent } from '../../shared/schemas/event';
import type { SequencedEvent } from '../../stream-handlers/common/delivered';
import { applyUserEventsDetailed } from '../../stream-handlers/user-state/apply';
import { decodeProfile, encodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { createWorkload } from './generator';
import { rowBytes } from './row-bytes';

/**
 * Where a user row's bytes are, without the stand-ins: folds the bench's workload (same seed,
 * users and catalog as `bench:stream`) through the real apply and codec, batch by batch with a
 * marshall round trip in between as the consumer would, and sizes the final rows.
 *
 *   node --import tsx bench/stream/row-size.ts [--events 22000] [--users 200] [--batch 3000]
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const events = arg('events', 22_000);
const batch = arg('batch', 3000);
const catalog = generateCatalog({ items: 240 });
const items = new Map(catalog.map((i) => [i.item_id, i]));
const workload = createWorkload({ users: arg('users', 200), itemIds: catalog.map((i) => i.item_id) });
const stored = new Map<string, Record<string, unknown>>();
const start = Date.UTC(2026, 10, 24);
for (let b = 0; b < events; b += batch) {
  const byUser = new Map<string, SequencedEvent[]>();
  for (let i = b; i < Math.min(events, b + batch); i++) {
    const event = workload.next(new Date(start + i / 2).toISOString()) as StreamEvent;
    const group = byUser.get(event.user_id as string) ?? [];
    group.push({ event, sequenceNumber: `4959${String(i + 1).padStart(52, '0')}` });
    byUser.set(event.user_id as string, group);
  }
  for (const [user, group] of byUser) {
    const row = stored.get(user);
    const { next } = applyUserEventsDetailed(user, decodeProfile(row as never), group, { items });
    const wire = next && marshall(encodeProfile(next), { removeUndefinedValues: true });
    if (wire) stored.set(user, unmarshall(wire));
  }
}
console.log(JSON.stringify(rowBytes([...stored.values()]), null, 2));
