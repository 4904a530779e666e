import { describe, expect, it } from 'vitest';
import { callWorker } from './helpers/worker';

describe('GET /sdk.js', () => {
  it('serves the browser SDK as JavaScript under 8 KB, cacheable, with a validator', async () => {
    const res = await callWorker('/sdk.js');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{24}"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBeLessThan(8 * 1024);
    const source = new TextDecoder().decode(bytes);
    for (const name of ['init', 'recommendations', 'track', 'related', 'observe', 'flush'])
      expect(source).toContain(`${name}: ${name}`);
    expect(source).toContain('root.Attune = api');
  });

  it('answers 304 without a body when the browser already has this version', async () => {
    const etag = (await callWorker('/sdk.js')).headers.get('etag')!;

    const res = await callWorker('/sdk.js', { headers: { 'if-none-match': `"stale", ${etag}` } });

    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    expect(await res.text()).toBe('');
  });

  it('is loadable from any storefront origin', async () => {
    const res = await callWorker('/sdk.js', { headers: { origin: 'https://shop.example' } });

    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('GET /demo', () => {
  it('serves the storefront page, which loads the SDK from the same edge', async () => {
    const res = await callWorker('/demo');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<script src="/sdk.js"></script>');
    expect(html).toContain('data-testid="home-rail"');
    expect(html).toContain('data-testid="related-rail"');
  });
});
