/**
 * Port: the edge-sync change signal. Handlers publish the ids whose derived state changed (users
 * whose cached list is stale, arms whose posteriors moved) into small time buckets the edge polls.
 * Publishing is a set union, so a redelivered batch publishing again changes nothing.
 */
export type ChangeStream = 'users' | 'posteriors' | 'items';

export interface ChangeFeed {
  publish(stream: ChangeStream, ids: readonly string[], at?: number): Promise<void>;
  /** Ids changed in buckets from `sinceMs` up to now, with the newest bucket's start. */
  changedSince(
    stream: ChangeStream,
    sinceMs: number,
    now?: number,
  ): Promise<{ ids: string[]; until: number }>;
}
