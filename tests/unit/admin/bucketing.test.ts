import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVariant, type BucketingPlan } from '../../../origin-lambdas/admin/experiments/bucketing';

const plan: BucketingPlan = {
  salt: 'exp-salt-1',
  traffic: 1,
  variants: [
    { name: 'control', weight: 50 },
    { name: 'treatment', weight: 30 },
    { name: 'bold', weight: 20 },
  ],
};

describe('deterministic bucketing', () => {
  it('gives a user the same variant every time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (id) => {
        expect(assignVariant(plan, id)).toBe(assignVariant({ ...plan, variants: [...plan.variants] }, id));
      }),
    );
  });

  it('splits 100k ids within 1% of the allocation', () => {
    const counts: Record<string, number> = { control: 0, treatment: 0, bold: 0 };
    for (let i = 0; i < 100_000; i++) {
      const v = assignVariant(plan, `user-${i}`) as string;
      counts[v] = (counts[v] as number) + 1;
    }
    expect(Math.abs((counts.control as number) / 100_000 - 0.5)).toBeLessThan(0.01);
    expect(Math.abs((counts.treatment as number) / 100_000 - 0.3)).toBeLessThan(0.01);
    expect(Math.abs((counts.bold as number) / 100_000 - 0.2)).toBeLessThan(0.01);
  });

  it('admits the traffic share and keeps assignments when the share grows', () => {
    const partial = { ...plan, traffic: 0.25 };
    let inside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = assignVariant(partial, `user-${i}`);
      if (v === undefined) continue;
      inside++;
      expect(assignVariant({ ...plan, traffic: 0.5 }, `user-${i}`)).toBe(v);
    }
    expect(Math.abs(inside / 100_000 - 0.25)).toBeLessThan(0.01);
  });

  it('reshuffles with a different salt', () => {
    let same = 0;
    for (let i = 0; i < 10_000; i++)
      if (assignVariant(plan, `u${i}`) === assignVariant({ ...plan, salt: 'other' }, `u${i}`)) same++;
    // Independent assignments agree with probability 0.5^2 + 0.3^2 + 0.2^2 = 0.38.
    expect(Math.abs(same / 10_000 - 0.38)).toBeLessThan(0.02);
  });
});
