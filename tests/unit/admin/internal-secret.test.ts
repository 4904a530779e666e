import { describe, expect, it } from 'vitest';
import { HttpEdgeCachePurger } from '../../../origin-lambdas/admin/users/edge-purger';
import { internalSecretSource } from '../../../origin-lambdas/admin/users/internal-secret';

describe('internal secret source', () => {
  it('prefers the plain local variable', async () => {
    const source = internalSecretSource(
      { ATTUNE_INTERNAL_SECRET: 's3cret', ATTUNE_INTERNAL_SECRET_ARN: 'arn:x' },
      async () => 'nope',
    );
    expect(await source?.()).toBe('s3cret');
  });

  it('reads the ARN once, lazily, and retries after a failure', async () => {
    const calls: string[] = [];
    let fail = true;
    const source = internalSecretSource(
      { ATTUNE_INTERNAL_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' },
      async (arn) => {
        calls.push(arn);
        if (fail) {
          fail = false;
          throw new Error('throttled');
        }
        return 'from-sm';
      },
    );
    expect(calls).toEqual([]);
    await expect(source!()).rejects.toThrow('throttled');
    expect(await source!()).toBe('from-sm');
    expect(await source!()).toBe('from-sm');
    expect(calls).toHaveLength(2);
  });

  it('is absent when neither is configured', () => {
    expect(internalSecretSource({})).toBeUndefined();
  });

  it('the purger sends the lazily read secret', async () => {
    const seen: (string | null)[] = [];
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get('x-attune-internal-secret'));
      return Response.json({ removed: 3 });
    }) as unknown as typeof fetch;
    const purger = new HttpEdgeCachePurger('https://edge.example', async () => 'lazy', fakeFetch);
    expect(await purger.purgeUser('u1')).toBe(3);
    expect(seen).toEqual(['lazy']);
  });
});
