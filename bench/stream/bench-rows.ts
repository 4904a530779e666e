import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { generateCatalog } from '../../local/seed/catalog';
import type { UserState } from '../../shared/ports/user-state-store';
import type { StreamEvent } from '../../shared/schemas/event';
import type { SequencedEvent } from '../../stream-handlers/common/delivered';
import { applyUserEventsDetailed } from '../../stream-handlers/user-state/apply';
import { decodeProfile, encodeProfile } from '../../stream-handlers/user-state/profile-codec';
import { createWorkload } from './generator';

export interface BenchRowOptions {
  /** @default 22000 (the bench's 2,000 warm-up events plus 20,000) */
  readonly events?: number;
  /** @default 200 */
  readonly users?: number;
  /** Events per simulated batch. @default 3000 */
  readonly batch?: number;
}

/**
 * The user rows a `bench:stream` run ends with, without the stand-ins: the bench's workload (same
 * seed, users and 240-item catalog) folded through the real apply and codec, batch by batch, with
 * a marshall round trip in between as the consumer's reads and writes would do.
 */
export function benchUserRows(opts: BenchRowOptions = {}): UserState[] {
  const events = opts.events ?? 22_000;
  const batch = opts.batch ?? 3000;
  const catalog = generateCatalog({ items: 240 });
  const items = new Map(catalog.map((i) => [i.item_id, i]));
  const workload = createWorkload({ users: opts.users ?? 200, itemIds: catalog.map((i) => i.item_id) });
  const stored = new Map<string, UserState>();
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
      const { next } = applyUserEventsDetailed(user, decodeProfile(stored.get(user)), group, { items });
      if (next)
        stored.set(
          user,
          unmarshall(marshall(encodeProfile(next), { removeUndefinedValues: true })) as UserState,
        );
    }
  }
  return [...stored.values()];
}
