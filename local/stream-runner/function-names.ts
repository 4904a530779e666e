/**
 * The Kinesis consumers' function names, without importing the handlers (the supervisor waits on
 * their log lines and must stay light). `handlers.ts` is typed against this list.
 */
export const STREAM_FUNCTIONS = ['user-state', 'bandit-posteriors', 'trending'] as const;

export type StreamFunction = (typeof STREAM_FUNCTIONS)[number];
