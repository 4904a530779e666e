import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bisect,
  decide,
  firstFailedIndex,
  type InvokeOutcome,
  type RecordRange,
  type RetryPolicy,
} from '../../../local/kinesis-runner/retry-plan';

const policy: RetryPolicy = { maxRetryAttempts: 3, bisectBatchOnError: true };
const range = (start: number, end: number, attempts = 0): RecordRange => ({ start, end, attempts });

describe('bisect', () => {
  it('splits into two halves, the first one larger, both with fresh attempts', () => {
    expect(bisect(range(0, 5, 2))).toEqual([range(0, 3), range(3, 5)]);
    expect(bisect(range(4, 6, 1))).toEqual([range(4, 5), range(5, 6)]);
  });
});

describe('decide', () => {
  it('completes the whole range on success', () => {
    expect(decide(range(2, 7), { kind: 'success' }, policy)).toEqual({ completedUpTo: 7, next: [] });
  });

  it('after a partial failure completes the records before it and retries the rest whole', () => {
    expect(decide(range(0, 10), { kind: 'partial', firstFailed: 4 }, policy)).toEqual({
      completedUpTo: 4,
      next: [range(4, 10, 1)],
    });
  });

  it('bisects a failing range with more than one record', () => {
    expect(decide(range(0, 10), { kind: 'error' }, policy)).toEqual({
      completedUpTo: 0,
      next: [range(0, 5), range(5, 10)],
    });
  });

  it('treats a partial failure at the first record as a failure of the range', () => {
    expect(decide(range(4, 10, 1), { kind: 'partial', firstFailed: 4 }, policy)).toEqual({
      completedUpTo: 4,
      next: [range(4, 7), range(7, 10)],
    });
  });

  it('treats a reported record outside the range as a whole-range failure', () => {
    expect(decide(range(4, 6), { kind: 'partial', firstFailed: 9 }, policy)).toEqual({
      completedUpTo: 4,
      next: [range(4, 5), range(5, 6)],
    });
  });

  it('retries a single record until it failed 1 + maxRetryAttempts times, then dead-letters it', () => {
    expect(decide(range(3, 4, 2), { kind: 'error' }, policy)).toEqual({
      completedUpTo: 3,
      next: [range(3, 4, 3)],
    });
    expect(decide(range(3, 4, 3), { kind: 'error' }, policy)).toEqual({
      completedUpTo: 3,
      deadLetter: range(3, 4, 4),
      next: [],
    });
  });

  it('without bisect retries the whole batch and then dead-letters all of it', () => {
    const noBisect = { maxRetryAttempts: 1, bisectBatchOnError: false };
    expect(decide(range(0, 6), { kind: 'error' }, noBisect)).toEqual({
      completedUpTo: 0,
      next: [range(0, 6, 1)],
    });
    expect(decide(range(0, 6, 1), { kind: 'error' }, noBisect)).toEqual({
      completedUpTo: 0,
      deadLetter: range(0, 6, 2),
      next: [],
    });
  });

  it('with no retries allowed, a partial failure bisects the remainder instead of retrying it', () => {
    const noRetry = { maxRetryAttempts: 0, bisectBatchOnError: true };
    expect(decide(range(0, 6), { kind: 'partial', firstFailed: 2 }, noRetry)).toEqual({
      completedUpTo: 2,
      next: [range(2, 4), range(4, 6)],
    });
  });
});

describe('firstFailedIndex', () => {
  const seqs = ['100', '200', '300', '400', '500'];
  it('finds the lowest reported record of the range', () => {
    expect(firstFailedIndex(seqs, range(1, 5), ['400', '200'])).toBe(1);
  });
  it('is undefined when a reported record is not in the range', () => {
    expect(firstFailedIndex(seqs, range(2, 5), ['200'])).toBeUndefined();
    expect(firstFailedIndex(seqs, range(0, 5), ['999'])).toBeUndefined();
  });
});

/** Drives decide() the way the batch processor does, with a handler that always fails on poison records. */
function simulate(n: number, poison: Set<number>, p: RetryPolicy, partial: boolean) {
  const completed: number[] = [];
  const deadLettered: number[] = [];
  let queue: RecordRange[] = [range(0, n)];
  let invocations = 0;
  while (queue.length > 0) {
    const r = queue.shift()!;
    invocations++;
    const bad = [...poison].filter((i) => i >= r.start && i < r.end).sort((a, b) => a - b);
    const outcome: InvokeOutcome =
      bad.length === 0
        ? { kind: 'success' }
        : partial
          ? { kind: 'partial', firstFailed: bad[0]! }
          : { kind: 'error' };
    const d = decide(r, outcome, p);
    for (let i = r.start; i < d.completedUpTo; i++) completed.push(i);
    if (d.deadLetter) for (let i = d.deadLetter.start; i < d.deadLetter.end; i++) deadLettered.push(i);
    queue = [...d.next, ...queue];
  }
  return { completed, deadLettered, invocations };
}

describe('retry planning over a whole batch', () => {
  const batch = fc
    .integer({ min: 1, max: 60 })
    .chain((n) =>
      fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 })),
    );

  it('with bisect, dead-letters exactly the poison records and completes every other one in order', () => {
    fc.assert(
      fc.property(batch, fc.boolean(), fc.integer({ min: 0, max: 4 }), ([n, bad], partial, retries) => {
        const poison = new Set(bad);
        const out = simulate(n, poison, { maxRetryAttempts: retries, bisectBatchOnError: true }, partial);
        expect(out.deadLettered).toEqual([...poison].sort((a, b) => a - b));
        expect(out.completed).toEqual([...Array(n).keys()].filter((i) => !poison.has(i)));
      }),
    );
  });

  it('without bisect, never blocks: every record is completed or dead-lettered exactly once', () => {
    fc.assert(
      fc.property(batch, fc.boolean(), ([n, bad], partial) => {
        const out = simulate(n, new Set(bad), { maxRetryAttempts: 2, bisectBatchOnError: false }, partial);
        expect([...out.completed, ...out.deadLettered].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      }),
    );
  });
});
