import type { KinesisStreamRecord } from 'aws-lambda';
import type { UserStateStore } from '../../shared/ports/user-state-store';
import { subjectOf } from '../../shared/schemas/event';
import type { ChangeFeed } from '../common/change-feed';
import { decodeRecord } from '../common/decode';
import type { ItemFacts, ItemLookup } from '../common/item-lookup';
import { forEachLimit } from '../common/limit';
import { compareSequence } from '../common/sequence';
import { type ApplyOptions, applyUserEventsDetailed, type SequencedEvent } from './apply';
import { decodeProfile, encodeProfile } from './profile-codec';

/** Per-record outcome: the error that should make Lambda redeliver it, keyed by sequence number. */
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
  /** User writes in flight at once. @default 16 */
  readonly concurrency?: number;
  /** Edge-sync signal: the users written are published once per batch. */
  readonly changes?: ChangeFeed;
  readonly apply?: Omit<ApplyOptions, 'items'>;
  readonly now?: () => number;
}

/**
 * Applies a Kinesis batch to user state with one read for all users (and one for their items
 * and sessions) and one conditional write per user, instead of a round trip per record. A lost
 * optimistic-concurrency race re-reads and re-applies that user; a user whose write keeps
 * failing fails only their own records.
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
    const seq = record.kinesis.sequenceNumber;
    try {
      const event = decodeRecord(record);
      const subject = subjectOf(event);
      const group = byUser.get(subject) ?? [];
      group.push({ event, sequenceNumber: seq });
      byUser.set(subject, group);
    } catch (err) {
      failures.set(seq, err as Error);
    }
  }
  const itemIds = [...byUser.values()].flatMap((g) =>
    g.flatMap((e) => (e.event.item_id ? [e.event.item_id] : [])),
  );
  const [current, items] = await Promise.all([
    store.getUsers([...byUser.keys()]),
    opts.items ? opts.items(itemIds) : Promise.resolve(new Map<string, ItemFacts>()),
  ]);
  const stored: SequencedEvent[] = [];
  const written: string[] = [];
  const applyOpts = { ...opts.apply, items, now: () => new Date(now()) };
  await forEachLimit([...byUser], opts.concurrency ?? 16, async ([userId, group]) => {
    try {
      let state = decodeProfile(current.get(userId));
      for (let race = 0; race <= maxRaces; race++) {
        const { next, failed } = applyUserEventsDetailed(userId, state, group, applyOpts);
        if (failed) {
          for (const e of group)
            if (compareSequence(e.sequenceNumber, failed.sequenceNumber) >= 0)
              failures.set(e.sequenceNumber, failed.error);
        }
        const kept = failed
          ? group.filter((e) => compareSequence(e.sequenceNumber, failed.sequenceNumber) < 0)
          : group;
        if (!next) return;
        if (await store.putIfVersion(encodeProfile(next), state?.version ?? 0)) {
          written.push(userId);
          stored.push(...kept);
          return;
        }
        state = decodeProfile(await store.getUser(userId));
      }
      throw new Error(`user ${userId}: lost ${maxRaces + 1} concurrent-write races`);
    } catch (err) {
      for (const e of group) failures.set(e.sequenceNumber, err as Error);
    }
  });
  if (opts.changes && written.length) await opts.changes.publish('users', written, now());
  const at = now();
  return {
    failures,
    usersWritten: written.length,
    eventsDecoded: records.length - [...failures.keys()].length,
    lagsMs: stored.map((e) => Math.max(0, at - Date.parse(e.event.ts))),
  };
}
