/**
 * Retry planning for one fetched batch, as pure functions over index ranges so the Lambda
 * semantics (partial batch responses, bisect on error, bounded retries) are testable without a stream.
 */

/** Records [start, end) of a fetched batch; `attempts` counts failed invocations of exactly this range. */
export interface RecordRange {
  readonly start: number;
  readonly end: number;
  readonly attempts: number;
}

/** How one invocation of a range ended; `firstFailed` is a batch index inside the range. */
export type InvokeOutcome =
  | { kind: 'success' }
  | { kind: 'partial'; firstFailed: number }
  | { kind: 'error' };

export interface RetryPolicy {
  maxRetryAttempts: number;
  bisectBatchOnError: boolean;
}

/** What to do after an invocation. */
export interface RangeDecision {
  /** Records [range.start, completedUpTo) succeeded; checkpoint after the last of them. */
  readonly completedUpTo: number;
  /** Records that exhausted their retries; send them to the dead-letter sink and move past them. */
  readonly deadLetter?: RecordRange;
  /** Ranges to invoke next, in order, before anything after them. */
  readonly next: readonly RecordRange[];
}

const size = (r: RecordRange) => r.end - r.start;

/** Splits a range in two halves that each start with no failed attempts; the first half is the larger. */
export function bisect(r: RecordRange): [RecordRange, RecordRange] {
  const mid = r.start + Math.ceil(size(r) / 2);
  return [
    { start: r.start, end: mid, attempts: 0 },
    { start: mid, end: r.end, attempts: 0 },
  ];
}

/**
 * Decides the next step for a range after one invocation.
 *
 * - success: the whole range is done.
 * - partial failure at f > start: records before f are done and [f, end) is retried whole, as Lambda
 *   does with ReportBatchItemFailures.
 * - an error, or a partial failure with no progress: the range failed again. With bisect on, a range of
 *   more than one record is split; otherwise it is retried until it has failed 1 + maxRetryAttempts
 *   times, then dead-lettered. Bisecting always shrinks the range, so a poison record ends up alone and
 *   is the only record dead-lettered.
 */
export function decide(range: RecordRange, outcome: InvokeOutcome, policy: RetryPolicy): RangeDecision {
  if (outcome.kind === 'success') return { completedUpTo: range.end, next: [] };
  const f = outcome.kind === 'partial' ? outcome.firstFailed : range.start;
  // An identifier outside the batch is a whole-batch failure, like Lambda treats an invalid one.
  const progressed = outcome.kind === 'partial' && f > range.start && f < range.end;
  const failing: RecordRange = progressed
    ? { start: f, end: range.end, attempts: 1 }
    : { ...range, attempts: range.attempts + 1 };
  const completedUpTo = failing.start;
  if (progressed && failing.attempts <= policy.maxRetryAttempts) return { completedUpTo, next: [failing] };
  if (policy.bisectBatchOnError && size(failing) > 1) return { completedUpTo, next: bisect(failing) };
  if (failing.attempts <= policy.maxRetryAttempts) return { completedUpTo, next: [failing] };
  return { completedUpTo, deadLetter: failing, next: [] };
}

/** The batch index of the lowest reported sequence number, or undefined when one is not in the range. */
export function firstFailedIndex(
  sequenceNumbers: readonly string[],
  range: RecordRange,
  reported: readonly string[],
): number | undefined {
  let first = Number.POSITIVE_INFINITY;
  for (const id of reported) {
    const i = sequenceNumbers.indexOf(id, range.start);
    if (i < 0 || i >= range.end) return undefined;
    first = Math.min(first, i);
  }
  return Number.isFinite(first) ? first : undefined;
}
