import { describe, expect, it } from 'vitest';
import { memoizeByVars } from '../../../edge-worker/src/vars-memo';

describe('memoizeByVars', () => {
  it('parses once per set of values and again when one of them changes', () => {
    const seen: unknown[] = [];
    const parse = memoizeByVars(['A', 'B'], (env) => {
      seen.push(env.A);
      return { a: Number(env.A), b: String(env.B) };
    });

    const first = parse({ A: '1', B: 'x', UNRELATED: 'p' });
    expect(parse({ A: '1', B: 'x', UNRELATED: 'q' })).toBe(first);
    expect(parse({ A: '2', B: 'x' })).toEqual({ a: 2, b: 'x' });
    expect(parse({ A: '2', B: 'y' })).toEqual({ a: 2, b: 'y' });
    expect(seen).toEqual(['1', '2', '2']);
  });

  it('remembers nothing from a parse that throws', () => {
    let calls = 0;
    const parse = memoizeByVars(['A'], (env) => {
      calls++;
      if (env.A === 'bad') throw new Error('bad A');
      return env.A;
    });
    expect(() => parse({ A: 'bad' })).toThrow('bad A');
    expect(() => parse({ A: 'bad' })).toThrow('bad A');
    expect(parse({ A: 'good' })).toBe('good');
    expect(calls).toBe(3);
  });
});
