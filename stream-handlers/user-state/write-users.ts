import type { UserState, UserStateStore } from '../../shared/ports/user-state-store';
import { forEachLimit } from '../common/limit';
import { compareSequence } from '../common/sequence';
import type { WriteMode } from '../common/write-mode';
import type { SequencedEvent, UserApplyResult } from './apply';
import type { UserProfile } from './profile';
import { decodeProfile, encodeProfile } from './profile-codec';

export interface UserWriteOptions {
  readonly mode: WriteMode;
  readonly maxRaces: number;
  /** Users in flight at once in `single` mode. */
  readonly concurrency: number;
  /** Folds a user's events into their state (pure). */
  readonly apply: (
    userId: string,
    state: UserProfile | undefined,
    group: SequencedEvent[],
  ) => UserApplyResult;
}

export interface UserWriteResult {
  readonly written: string[];
  /** The rows as written, in the order of `written`. */
  readonly rows: UserState[];
  /** The events now stored, for freshness. */
  readonly stored: SequencedEvent[];
}

interface Planned {
  readonly userId: string;
  readonly group: SequencedEvent[];
  readonly state: UserProfile | undefined;
}

/**
 * Writes each user's folded state once, under a version condition. A lost race re-reads that user
 * and folds their events again on top of the winner, up to `maxRaces` times; a user whose write
 * keeps failing fails only their own records (in `transact` mode, an error that rejects a whole
 * transaction fails the records of every user still unwritten).
 */
export async function writeUsers(
  store: UserStateStore,
  byUser: ReadonlyMap<string, SequencedEvent[]>,
  current: ReadonlyMap<string, UserState>,
  failures: Map<string, Error>,
  opts: UserWriteOptions,
): Promise<UserWriteResult> {
  const written: string[] = [];
  const rows: UserState[] = [];
  const stored: SequencedEvent[] = [];
  const failAll = (group: readonly SequencedEvent[], err: unknown) => {
    for (const e of group) failures.set(e.sequenceNumber, err as Error);
  };
  const lostRaces = (userId: string) =>
    new Error(`user ${userId}: lost ${opts.maxRaces + 1} concurrent-write races`);
  // Records from the first one that threw stay failed; the ones before it are written.
  const plan = ({ userId, group, state }: Planned) => {
    const { next, failed } = opts.apply(userId, state, group);
    if (!failed) return { next, kept: group };
    for (const e of group)
      if (compareSequence(e.sequenceNumber, failed.sequenceNumber) >= 0)
        failures.set(e.sequenceNumber, failed.error);
    return { next, kept: group.filter((e) => compareSequence(e.sequenceNumber, failed.sequenceNumber) < 0) };
  };
  // A row that does not decode fails only its user's records.
  const users = [...byUser].flatMap(([userId, group]) => {
    try {
      return [{ userId, group, state: decodeProfile(current.get(userId)) }];
    } catch (err) {
      failAll(group, err);
      return [];
    }
  });

  if (opts.mode === 'single') {
    await forEachLimit(users, opts.concurrency, async (user) => {
      try {
        let state = user.state;
        for (let race = 0; race <= opts.maxRaces; race++) {
          const { next, kept } = plan({ ...user, state });
          if (!next) return;
          const row = encodeProfile(next);
          if (await store.putIfVersion(row, state?.version ?? 0)) {
            written.push(user.userId);
            rows.push(row);
            stored.push(...kept);
            return;
          }
          state = decodeProfile(await store.getUser(user.userId));
        }
        throw lostRaces(user.userId);
      } catch (err) {
        failAll(user.group, err);
      }
    });
    return { written, rows, stored };
  }

  let pending: Planned[] = users;
  for (let race = 0; pending.length > 0 && race <= opts.maxRaces; race++) {
    const puts = pending.flatMap((user) => {
      const { next, kept } = plan(user);
      return next
        ? [{ user, kept, put: { next: encodeProfile(next), expectedVersion: user.state?.version ?? 0 } }]
        : [];
    });
    if (puts.length === 0) return { written, rows, stored };
    let ok: boolean[];
    try {
      ok = await store.putManyIfVersion(puts.map((p) => p.put));
    } catch (err) {
      for (const p of puts) failAll(p.user.group, err);
      return { written, rows, stored };
    }
    const lost = puts.filter((p, i) => {
      if (!ok[i]) return true;
      written.push(p.user.userId);
      rows.push(p.put.next);
      stored.push(...p.kept);
      return false;
    });
    if (lost.length === 0) return { written, rows, stored };
    try {
      const reread = await store.getUsers(lost.map((p) => p.user.userId));
      pending = lost.map((p) => ({ ...p.user, state: decodeProfile(reread.get(p.user.userId)) }));
    } catch (err) {
      for (const p of lost) failAll(p.user.group, err);
      return { written, rows, stored };
    }
  }
  for (const user of pending) failAll(user.group, lostRaces(user.userId));
  return { written, rows, stored };
}
