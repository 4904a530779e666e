/** `closed`: calls go through; `open`: calls are refused; `half-open`: one trial call may go through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. @default 5 */
  failureThreshold?: number;
  /** How long an open breaker refuses calls before it lets one trial through. @default 10000 */
  cooldownMs?: number;
  /** Milliseconds clock. @default Date.now */
  now?: () => number;
  /** Told of every state change, e.g. to count openings. */
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

/** Raised by `run` when the breaker refuses the call; the wrapped function was not called. */
export class BreakerOpenError extends Error {
  override readonly name = 'BreakerOpenError';
}

/**
 * A consecutive-failure circuit breaker. After `failureThreshold` failures in a row it opens and
 * refuses calls for `cooldownMs`; then exactly one trial call goes through (half-open), whose
 * success closes it and whose failure opens it for another cooldown. Results of calls started
 * while closed that arrive after it opened are ignored: only the trial decides a half-open breaker.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onStateChange: (from: BreakerState, to: BreakerState) => void;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  // Bumped on every state change; a call's result only counts in the generation it started in.
  #generation = 0;

  constructor(opts: CircuitBreakerOptions = {}) {
    this.#threshold = opts.failureThreshold ?? 5;
    this.#cooldownMs = opts.cooldownMs ?? 10_000;
    this.#now = opts.now ?? Date.now;
    this.#onStateChange = opts.onStateChange ?? (() => {});
    if (!Number.isInteger(this.#threshold) || this.#threshold < 1) {
      throw new RangeError(`failureThreshold must be a positive integer, got ${this.#threshold}`);
    }
    if (!(this.#cooldownMs >= 0)) throw new RangeError(`cooldownMs must be >= 0, got ${this.#cooldownMs}`);
  }

  /**
   * The state as a caller would find it now: an open breaker whose cooldown has passed reads
   * `half-open` (the next call is the trial), a half-open one with its trial in flight stays so.
   */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#cooldownMs) return 'half-open';
    return this.#state;
  }

  /** Consecutive failures counted while closed. */
  get failures(): number {
    return this.#failures;
  }

  /**
   * Runs `fn` when the breaker allows it and records the outcome; throws BreakerOpenError without
   * calling `fn` when open, or when half-open with the trial still in flight.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const ticket = this.#acquire();
    if (ticket === undefined) {
      throw new BreakerOpenError(`circuit open after ${this.#threshold} consecutive failures`);
    }
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      this.#failure(ticket);
      throw err;
    }
    this.#success(ticket);
    return result;
  }

  #acquire(): number | undefined {
    if (this.#state === 'closed') return this.#generation;
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#cooldownMs) {
      this.#move('half-open');
      return this.#generation;
    }
    return undefined;
  }

  #success(ticket: number): void {
    if (ticket !== this.#generation) return;
    this.#failures = 0;
    if (this.#state === 'half-open') this.#move('closed');
  }

  #failure(ticket: number): void {
    if (ticket !== this.#generation) return;
    if (this.#state === 'half-open') {
      this.#open();
      return;
    }
    this.#failures++;
    if (this.#failures >= this.#threshold) this.#open();
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#move('open');
  }

  #move(to: BreakerState): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#onStateChange(from, to);
  }
}
