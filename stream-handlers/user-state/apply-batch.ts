import type { KinesisStreamRecord } from 'aws-lambda';
import type { UserStateStore } from '../../shared/ports/user-state-store';
import { subjectOf } from '../../shared/schemas/event';
import { decodeRecord } from '../common/decode';
import { applyUserEvents, type SequencedEvent } from './apply';

/** Per-record outcome: the error that should make Lambda redeliver it, keyed by sequence number. */
export type BatchOutcome = Map<string, Error>;

export interface BatchSummary {
  readonly failures: BatchOutcome;
  readonly usersWritten: number;
  readonly eventsDecoded: number;
}

/**
 * Applies a Kinesis batch to user state with one read for all users and one conditional write
 * per user, instead of a round trip per record. A lost optimistic-concurrency race re-reads and
 * re-applies that user; a user whose write keeps failing fails only their own records.
 */
export async function applyBatchToUsers(
  store: UserStateStore,
  records: readonly KinesisStreamRecord[],
  { maxRaces = 3 }: { maxRaces?: number } = {},
): Promise<BatchSummary> {
  const failures: BatchOutcome = new Map();
  const byUser = new Map<string, { events: SequencedEvent[]; sequences: string[] }>();
  for (const record of records) {
    const seq = record.kinesis.sequenceNumber;
    try {
      const event = decodeRecord(record);
      const subject = subjectOf(event);
      const group = byUser.get(subject) ?? { events: [], sequences: [] };
      group.events.push({ event, sequenceNumber: seq });
      group.sequences.push(seq);
      byUser.set(subject, group);
    } catch (err) {
      failures.set(seq, err as Error);
    }
  }
  let usersWritten = 0;
  const current = await store.getUsers([...byUser.keys()]);
  await Promise.all(
    [...byUser].map(async ([userId, group]) => {
      try {
        let state = current.get(userId);
        for (let race = 0; race <= maxRaces; race++) {
          const next = applyUserEvents(userId, state, group.events);
          if (!next) return;
          if (await store.putIfVersion(next, state?.version ?? 0)) {
            usersWritten++;
            return;
          }
          state = await store.getUser(userId);
        }
        throw new Error(`user ${userId}: lost ${maxRaces + 1} concurrent-write races`);
      } catch (err) {
        for (const seq of group.sequences) failures.set(seq, err as Error);
      }
    }),
  );
  const eventsDecoded = records.length - [...failures.keys()].length;
  return { failures, usersWritten, eventsDecoded };
}
