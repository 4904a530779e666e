import type { KinesisStreamRecord } from 'aws-lambda';
import type { UserState, UserStateStore } from '../../shared/ports/user-state-store';
import { subjectOf } from '../../shared/schemas/event';
import type { ChangeFeed } from '../common/change-feed';
import { decodeRecordEvents } from '../common/decode';
import type { ItemFacts, ItemLookup } from '../common/item-lookup';
import { DEFAULT_WRITE_MODE, type WriteMode } from '../common/write-mode';
import { type ApplyOptions, applyUserEventsDetailed, type SequencedEvent } from './apply';
import type { UserStateCache } from './state-cache';
import { writeUsers } from './write-users';

/**
 * The errors that should make Lambda redeliver, keyed by event position (a record's sequence
 * number, or `<sequence>.<index>` for an event of a packed record; kinesisBatchHandler maps them
 * to records).
 */
export type BatchOutcome = Map<string, Error>;

export interface BatchSummary {
  readonly failures: BatchOutcome;
  readonly usersWritten: number;
  readonly eventsDecoded: number;
  /** `event ts -> stored` per event stored in this batch, in ms. */
  readonly lagsMs: number[];
}

export interface UserBatchOptions {
  readonly maxRaces?: number;
  /** Looks up the batch's items (category, vector); without it the taste does not move. */
  readonly items?: ItemLookup;
  /** User writes in flight at once in `single` mode. @default 16 */
  readonly concurrency?: number;
  /** One transaction per 100 users, or one request per user. @default 'transact' */
  readonly writeMode?: WriteMode;
  /** Rows kept between batches so recurring users are not read again; without it every batch reads. */
  readonly cache?: UserStateCache;
  /** Edge-sync signal: the users written are published once per batch. */
  readonly changes?: ChangeFeed;
  readonly apply?: Omit<ApplyOptions, 'items'>;
  readonly now?: () => number;
}

/**
 * Applies a Kinesis batch to user state with one read for all users (and one for their items
 * and sessions) and one conditional write per user, batched into transactions by default, instead
 * of a round trip per record. A lost optimistic-concurrency race re-reads and re-applies that user.
 */
export async function applyBatchToUsers(
  store: UserStateStore,
  records: readonly KinesisStreamRecord[],
  opts: UserBatchOptions = {},
): Promise<BatchSummary> {
  const maxRaces = opts.maxRaces ?? 3;
  const now = opts.now ?? Date.now;
  const failures: BatchOutcome = new Map();
  const byUser = new Map<string, SequencedEvent[]>();
  for (const record of records) {
    try {
      for (const e of decodeRecordEvents(record)) {
        const subject = subjectOf(e.event);
        const group = byUser.get(subject) ?? [];
        group.push(e);
        byUser.set(subject, group);
      }
    } catch (err) {
      failures.set(record.kinesis.sequenceNumber, err as Error);
    }
  }
  let eventsDecoded = 0;
  for (const group of byUser.values()) eventsDecoded += group.length;
  const itemIds = [...byUser.values()].flatMap((g) =>
    g.flatMap((e) => (e.event.item_id ? [e.event.item_id] : [])),
  );
  const cached = new Map<string, UserState>();
  for (const id of byUser.keys()) {
    const row = opts.cache?.get(id);
    if (row) cached.set(id, row);
  }
  const toRead = [...byUser.keys()].filter((id) => !cached.has(id));
  const [read, items] = await Promise.all([
    toRead.length ? store.getUsers(toRead) : Promise.resolve(new Map<string, UserState>()),
    opts.items ? opts.items(itemIds) : Promise.resolve(new Map<string, ItemFacts>()),
  ]);
  const current = new Map([...cached, ...read]);
  const applyOpts = { ...opts.apply, items, now: () => new Date(now()) };
  const { written, rows, stored } = await writeUsers(store, byUser, current, failures, {
    mode: opts.writeMode ?? DEFAULT_WRITE_MODE,
    maxRaces,
    concurrency: opts.concurrency ?? 16,
    apply: (userId, state, group) => applyUserEventsDetailed(userId, state, group, applyOpts),
  });
  if (opts.cache) {
    // A user whose write failed may have a newer row than the one cached: read it next time.
    for (const id of byUser.keys()) opts.cache.delete(id);
    for (const row of rows) opts.cache.set(row);
  }
  if (opts.changes && written.length) await opts.changes.publish('users', written, now());
  const at = now();
  return {
    failures,
    usersWritten: written.length,
    eventsDecoded,
    lagsMs: stored.map((e) => Math.max(0, at - Date.parse(e.event.ts))),
  };
}
