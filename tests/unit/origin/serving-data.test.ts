import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../origin-lambdas/admin/experiments/schemas';
import { CachedServingData } from '../../../origin-lambdas/recommend/serving-data';

/** The experiments table's pages as ExperimentStore.list returns them; `fail` makes the next reads throw. */
function experimentsTable(experiments: Partial<Experiment>[]) {
  const state = { reads: 0, fail: false };
  const pages = {
    list: async (_limit: number, start?: Record<string, unknown>) => {
      state.reads++;
      await new Promise((r) => setTimeout(r, 5));
      if (state.fail) throw new Error('experiments table unavailable');
      // Two pages, so the reader must follow `last`.
      const half = Math.ceil(experiments.length / 2);
      return start
        ? { items: experiments.slice(half) as Experiment[] }
        : { items: experiments.slice(0, half) as Experiment[], last: { experiment_id: 'x' } };
    },
  };
  return { pages, state };
}

const running = (id: string): Partial<Experiment> => ({
  experiment_id: id,
  status: 'running',
  salt: `salt-${id}`,
  traffic: 1,
  surfaces: ['home'],
  variants: [{ name: 'control', weight: 1, ranking: {} }],
});

function servingData(experiments?: ReturnType<typeof experimentsTable>['pages'], clock = { t: 0 }) {
  const none = {
    rules: { current: async () => undefined },
    campaigns: { all: async () => [] },
    posteriors: { posteriors: async () => new Map() },
  };
  return new CachedServingData(
    { ...none, ...(experiments ? { experiments } : {}) },
    {
      configTtlMs: 1000,
      now: () => clock.t,
    },
  );
}

describe('CachedServingData.experiments', () => {
  it('reads every page once per TTL, shared by concurrent requests, and keeps only running ones', async () => {
    const { pages, state } = experimentsTable([
      running('a'),
      { ...running('b'), status: 'stopped' },
      running('c'),
    ]);
    const clock = { t: 0 };
    const data = servingData(pages, clock);

    const [one, two] = await Promise.all([data.experiments(), data.experiments()]);
    expect(one.map((e) => e.experiment_id)).toEqual(['a', 'c']);
    expect(two).toBe(one);
    expect(state.reads).toBe(2);

    clock.t = 999;
    await data.experiments();
    expect(state.reads).toBe(2);
    clock.t = 1000;
    await data.experiments();
    expect(state.reads).toBe(4);
  });

  it('keeps serving the last good list when a reload fails, and fails only without one', async () => {
    const { pages, state } = experimentsTable([running('a')]);
    const clock = { t: 0 };
    const data = servingData(pages, clock);
    state.fail = true;
    await expect(data.experiments()).rejects.toThrow('experiments table unavailable');
    state.fail = false;
    expect((await data.experiments()).map((e) => e.experiment_id)).toEqual(['a']);
    clock.t = 5000;
    state.fail = true;
    expect((await data.experiments()).map((e) => e.experiment_id)).toEqual(['a']);
  });

  it('has no experiments without an experiments table', async () => {
    expect(await servingData().experiments()).toEqual([]);
  });
});
