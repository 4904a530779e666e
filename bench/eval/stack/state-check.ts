import type { UserStateStore } from '../../../shared/ports/user-state-store';
import type { UserProfile } from '../../../stream-handlers/user-state/profile';
import { decodeProfile } from '../../../stream-handlers/user-state/profile-codec';

/** What the replay did to the stored state, read back from DynamoDB after the last step. */
export interface StateCheck {
  /** Streaming users whose row holds every sent event: count, newest item, rewritten by the handler. */
  readonly streamingUpdated: number;
  /** Frozen twins whose row is still the one written after training (version 1). */
  readonly frozenUntouched: number;
  readonly users: number;
}

/**
 * Reads every streaming user and frozen twin back and checks the stream's work: a streaming
 * user's `event_count` grew by the events sent, its `recent_items` starts with the last one and
 * the handler rewrote it; a twin's row was never rewritten.
 */
export async function checkStreamedState(
  store: UserStateStore,
  users: readonly { user: string; twin: string; trained: UserProfile; sent: readonly string[] }[],
): Promise<StateCheck> {
  const rows = await store.getUsers(users.flatMap((u) => [u.user, u.twin]));
  let streamingUpdated = 0;
  let frozenUntouched = 0;
  for (const u of users) {
    const after = decodeProfile(rows.get(u.user));
    const twin = decodeProfile(rows.get(u.twin));
    // A rating of 3 stars weighs 0 and leaves the taste where it was: the row's version says it was rewritten.
    const moved = !u.sent.length || (after?.version ?? 0) > 1;
    if (
      after &&
      after.event_count === u.trained.event_count + u.sent.length &&
      (!u.sent.length || after.recent_items[0] === u.sent[u.sent.length - 1]) &&
      moved
    )
      streamingUpdated++;
    if (twin && twin.version === 1 && twin.event_count === u.trained.event_count) frozenUntouched++;
  }
  return { streamingUpdated, frozenUntouched, users: users.length };
}
