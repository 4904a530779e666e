import { describe, expect, it } from 'vitest';
import {
  BreakerOpenError,
  type BreakerState,
  CircuitBreaker,
} from '../../../../origin-lambdas/recommend/ranking/circuit-breaker';

function harness(failureThreshold = 3, cooldownMs = 1000) {
  let clock = 0;
  const changes: [BreakerState, BreakerState][] = [];
  const breaker = new CircuitBreaker({
    failureThreshold,
    cooldownMs,
    now: () => clock,
    onStateChange: (from, to) => changes.push([from, to]),
  });
  let calls = 0;
  const ok = () =>
    breaker.run(async () => {
      calls++;
      return 'ok';
    });
  const fail = () =>
    breaker.run(async () => {
      calls++;
      throw new Error('boom');
    });
  return {
    breaker,
    changes,
    ok,
    fail,
    calls: () => calls,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('CircuitBreaker', () => {
  it('starts closed and passes results and errors through', async () => {
    const h = harness();
    expect(h.breaker.state).toBe('closed');
    expect(await h.ok()).toBe('ok');
    expect(await rejection(h.fail())).toEqual(new Error('boom'));
    expect(h.breaker.failures).toBe(1);
    expect(h.changes).toEqual([]);
  });

  it('closed -> open after exactly the threshold of consecutive failures', async () => {
    const h = harness(3);
    await rejection(h.fail());
    await rejection(h.fail());
    expect(h.breaker.state).toBe('closed');
    await rejection(h.fail());
    expect(h.breaker.state).toBe('open');
    expect(h.changes).toEqual([['closed', 'open']]);
  });

  it('a success while closed resets the consecutive count', async () => {
    const h = harness(3);
    await rejection(h.fail());
    await rejection(h.fail());
    await h.ok();
    expect(h.breaker.failures).toBe(0);
    await rejection(h.fail());
    await rejection(h.fail());
    expect(h.breaker.state).toBe('closed');
  });

  it('open refuses calls without running them until the cooldown has passed', async () => {
    const h = harness(1, 1000);
    await rejection(h.fail());
    expect(h.calls()).toBe(1);
    h.advance(999);
    const err = await rejection(h.ok());
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect(h.calls()).toBe(1);
    expect(h.breaker.state).toBe('open');
    h.advance(1);
    expect(h.breaker.state).toBe('half-open');
  });

  it('half-open lets exactly one trial through; its success closes the breaker', async () => {
    const h = harness(1, 1000);
    await rejection(h.fail());
    h.advance(1000);
    let release: (v: string) => void = () => {};
    const trial = h.breaker.run(
      () =>
        new Promise<string>((r) => {
          release = r;
        }),
    );
    expect(h.breaker.state).toBe('half-open');
    expect(await rejection(h.ok())).toBeInstanceOf(BreakerOpenError);
    expect(h.calls()).toBe(1);
    release('trial ok');
    expect(await trial).toBe('trial ok');
    expect(h.breaker.state).toBe('closed');
    expect(h.breaker.failures).toBe(0);
    expect(h.changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
    expect(await h.ok()).toBe('ok');
  });

  it('a failed trial reopens the breaker for a fresh cooldown', async () => {
    const h = harness(2, 1000);
    await rejection(h.fail());
    await rejection(h.fail());
    h.advance(1500);
    expect(await rejection(h.fail())).toEqual(new Error('boom'));
    expect(h.breaker.state).toBe('open');
    h.advance(999);
    expect(await rejection(h.ok())).toBeInstanceOf(BreakerOpenError);
    h.advance(1);
    expect(await h.ok()).toBe('ok');
    expect(h.changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('ignores late results of calls started before the breaker opened', async () => {
    const h = harness(1, 1000);
    let lateFail: (e: Error) => void = () => {};
    let lateOk: (v: string) => void = () => {};
    const slowFail = h.breaker.run(
      () =>
        new Promise<string>((_, reject) => {
          lateFail = reject;
        }),
    );
    const slowOk = h.breaker.run(
      () =>
        new Promise<string>((resolve) => {
          lateOk = resolve;
        }),
    );
    await rejection(h.fail());
    expect(h.breaker.state).toBe('open');
    lateOk('late');
    expect(await slowOk).toBe('late');
    expect(h.breaker.state).toBe('open');
    h.advance(1000);
    const trial = h.ok();
    lateFail(new Error('late'));
    await rejection(slowFail);
    expect(await trial).toBe('ok');
    expect(h.breaker.state).toBe('closed');
  });

  it('rejects a threshold below 1 and a negative cooldown', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ cooldownMs: -1 })).toThrow(RangeError);
  });
});
