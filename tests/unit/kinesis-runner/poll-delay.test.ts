import { describe, expect, it } from 'vitest';
import { nextPollDelay } from '../../../local/kinesis-runner/poll-delay';

const intervals = { pollIntervalMs: 1000, busyPollIntervalMs: 600 };

describe('nextPollDelay', () => {
  it('waits out the base interval after an empty poll, counting the time the poll took', () => {
    expect(nextPollDelay({ fetched: 0, full: false, elapsedMs: 30 }, intervals)).toBe(970);
  });

  it('polls again after the busy interval while polls bring records', () => {
    expect(nextPollDelay({ fetched: 1800, full: false, elapsedMs: 250 }, intervals)).toBe(350);
  });

  it('polls at once when the batch took longer than the busy interval', () => {
    expect(nextPollDelay({ fetched: 1800, full: false, elapsedMs: 840 }, intervals)).toBe(0);
  });

  it('reads on at once after a full batch', () => {
    expect(nextPollDelay({ fetched: 100, full: true, elapsedMs: 5 }, intervals)).toBe(0);
  });
});
