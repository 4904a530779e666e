import { describe, expect, it } from 'vitest';
import { assignVariant } from '../../../origin-lambdas/admin/experiments/bucketing';
import type { RunningExperiment } from '../../../origin-lambdas/admin/experiments/running';
import { assignExperiments } from '../../../origin-lambdas/recommend/experiments';

/** An experiment that puts every subject in `variant`, which ranks with `model_version`. */
const only = (id: string, model_version?: string, surfaces = ['home']): RunningExperiment => ({
  experiment_id: id,
  salt: id,
  traffic: 1,
  surfaces,
  variants: [{ name: 'treat', weight: 1, ranking: {}, ...(model_version ? { model_version } : {}) }],
});

describe('assignExperiments model versions', () => {
  it("ranks with the subject's variant's model_version", () => {
    const split: RunningExperiment = {
      experiment_id: 'exp-model',
      salt: 's',
      traffic: 1,
      surfaces: ['home'],
      variants: [
        { name: 'control', weight: 1 },
        { name: 'new-model', weight: 1, model_version: 'v2' },
      ],
    };
    const ids = Array.from({ length: 40 }, (_, i) => `u-${i}`);
    const treated = ids.find((id) => assignVariant(split, id) === 'new-model') as string;
    const control = ids.find((id) => assignVariant(split, id) === 'control') as string;

    expect(assignExperiments([split], treated, 'home')).toMatchObject({ modelVersion: 'v2', ignored: [] });
    expect(assignExperiments([split], control, 'home').modelVersion).toBeUndefined();
    expect(assignExperiments([split], treated, 'cart').modelVersion).toBeUndefined();
  });

  it('lets the smallest experiment id decide between several versions, whatever the list order, and reports the rest', () => {
    const running = [only('exp-c', 'v3'), only('exp-a', 'v1'), only('exp-b'), only('exp-b2', 'v2')];

    const forward = assignExperiments(running, 'u-1', 'home');
    const backward = assignExperiments([...running].reverse(), 'u-1', 'home');

    expect(forward.modelVersion).toBe('v1');
    expect(backward.modelVersion).toBe('v1');
    expect(forward.ignored).toEqual(['exp-b2:treat:model_version', 'exp-c:treat:model_version']);
    expect(forward.assignments.map((a) => a.experiment_id)).toEqual(['exp-c', 'exp-a', 'exp-b', 'exp-b2']);
  });
});
