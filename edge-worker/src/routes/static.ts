import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import demoHtml from '../static/demo.html';
import sdkSource from '../static/sdk.js.txt';

/** A text asset with its validator, computed once per isolate. */
interface Asset {
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
  etag?: Promise<string>;
}

// The SDK changes with deploys, not per request: browsers and Cloudflare keep it five minutes
// and may serve it stale for a day while revalidating, so a deploy reaches everyone within minutes.
const SDK: Asset = {
  body: sdkSource,
  contentType: 'text/javascript; charset=utf-8',
  cacheControl: 'public, max-age=300, stale-while-revalidate=86400',
};

const DEMO: Asset = {
  body: demoHtml,
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'public, max-age=60',
};

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

async function serve(asset: Asset, ifNoneMatch: string | undefined): Promise<Response> {
  asset.etag ??= etagOf(asset.body);
  const etag = await asset.etag;
  const headers = {
    'content-type': asset.contentType,
    'cache-control': asset.cacheControl,
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (ifNoneMatch?.split(',').some((t) => t.trim() === etag))
    return new Response(null, { status: 304, headers });
  return new Response(asset.body, { headers });
}

/** `GET /sdk.js` (the browser SDK) and `GET /demo` (a storefront that uses it). */
export const staticRoutes = new Hono<AppEnv>()
  .get('/sdk.js', (c) => serve(SDK, c.req.header('if-none-match')))
  .get('/demo', (c) => serve(DEMO, c.req.header('if-none-match')));
