import { describe, expect, it, vi } from 'vitest';
import { SnapshotStore } from '../../../edge-worker/src/bandit/snapshot-store';
import type { EdgeSnapshot } from '../../../shared/schemas/edge-slots';

const snap = (generated_at: number): EdgeSnapshot => ({ v: 1, generated_at, rules: {}, campaigns: {} });

/** A store on a hand-moved clock, its origin counting calls, and the deferred work collected. */
function setup(fetchImpl: () => Promise<EdgeSnapshot>) {
  let clock = 1_000_000;
  const fetch = vi.fn(fetchImpl);
  const store = new SnapshotStore({
    fetch,
    cacheKey: 'http://o/v1/edge/snapshot',
    ttlMs: 5_000,
    maxAgeMs: 60_000,
    now: () => clock,
  });
  const deferred: Promise<unknown>[] = [];
  const current = () => store.current((w) => deferred.push(w));
  const settle = () => Promise.all(deferred.splice(0));
  return { store, fetch, current, settle, tick: (ms: number) => (clock += ms) };
}

describe('SnapshotStore', () => {
  it('answers without waiting for the origin, then holds what the background refresh brought', async () => {
    const s = setup(async () => snap(1));
    expect(await s.current()).toBeUndefined();
    await s.settle();
    expect((await s.current())?.generated_at).toBe(1);
    expect(s.fetch).toHaveBeenCalledTimes(1);
  });

  it('refreshes once per TTL, however many requests arrive, and serves the held copy meanwhile', async () => {
    let n = 0;
    let open: () => void = () => {};
    let gate = Promise.resolve();
    const s = setup(async () => {
      await gate;
      return snap(++n);
    });
    await s.current();
    await s.settle();
    s.tick(4_999);
    for (let i = 0; i < 10; i++) expect((await s.current())?.generated_at).toBe(1);
    expect(s.fetch).toHaveBeenCalledTimes(1);
    // The origin is slow to answer the next refresh: requests keep the held copy, nobody piles on.
    gate = new Promise((resolve) => {
      open = resolve;
    });
    s.tick(1);
    for (let i = 0; i < 10; i++) expect((await s.current())?.generated_at).toBe(1);
    expect(s.fetch).toHaveBeenCalledTimes(2);
    open();
    await s.settle();
    expect((await s.current())?.generated_at).toBe(2);
  });

  it('keeps serving the held copy while the origin fails, until it is too old to trust', async () => {
    let fail = false;
    const s = setup(async () => {
      if (fail) throw new Error('origin down');
      return snap(7);
    });
    await s.current();
    await s.settle();
    fail = true;
    s.tick(30_000);
    expect((await s.current())?.generated_at).toBe(7);
    await s.settle();
    s.tick(30_000);
    expect(await s.current()).toBeUndefined();
    await s.settle();
    expect(s.fetch).toHaveBeenCalledTimes(3);
  });

  it('asks a down origin once per TTL, not once per request', async () => {
    const s = setup(async () => {
      throw new Error('origin down');
    });
    for (let i = 0; i < 20; i++) {
      expect(await s.current()).toBeUndefined();
      await s.settle();
    }
    expect(s.fetch).toHaveBeenCalledTimes(1);
    s.tick(5_000);
    await s.current();
    await s.settle();
    expect(s.fetch).toHaveBeenCalledTimes(2);
  });
});
