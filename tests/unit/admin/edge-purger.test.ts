import { describe, expect, it } from 'vitest';
import { HttpEdgeCachePurger } from '../../../origin-lambdas/admin/users/edge-purger';

describe('HttpEdgeCachePurger', () => {
  it('calls the edge internal route with the shared secret and returns the count removed', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const purger = new HttpEdgeCachePurger(
      'https://edge.test/',
      's3cret-s3cret-s3cret',
      async (url, init) => {
        calls.push({ url: String(url), init: init as RequestInit });
        return Response.json({ subject: 'anon:a b', removed: 3 });
      },
    );

    expect(await purger.purgeUser('anon:a b')).toBe(3);
    expect(calls).toEqual([
      {
        url: 'https://edge.test/internal/users/anon%3Aa%20b/cache',
        init: { method: 'DELETE', headers: { 'x-attune-internal-secret': 's3cret-s3cret-s3cret' } },
      },
    ]);
  });

  it('fails the step when the edge refuses, so the job reports it', async () => {
    const purger = new HttpEdgeCachePurger(
      'https://edge.test',
      'x',
      async () => new Response('', { status: 401 }),
    );
    await expect(purger.purgeUser('u1')).rejects.toThrow('edge purge answered 401');
  });
});
