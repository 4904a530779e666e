import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sdkPackageFiles } from '../../../edge-worker/sdk/package-files';

const ROOT = join(import.meta.dirname, '../../..');
const source = readFileSync(join(ROOT, 'edge-worker/src/static/sdk.js.txt'), 'utf8');
const declarations = readFileSync(join(ROOT, 'edge-worker/sdk/index.d.ts'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'attune-sdk-pkg-'));
const files = sdkPackageFiles(source, declarations, '1.2.3');
for (const f of files) writeFileSync(join(dir, f.path), f.text);

afterAll(() => {
  vi.unstubAllGlobals();
  rmSync(dir, { recursive: true, force: true });
});

type Sdk = {
  init(o: Record<string, unknown>): Sdk;
  recommendations(o?: Record<string, unknown>): Promise<{ items: unknown[] }>;
  track(type: string, item?: string): string;
  flush(): Promise<number>;
  identity(): Record<string, string>;
};

describe('the browser SDK as an npm package', () => {
  it('is the served script, with a manifest that points at ESM, CJS and the types', () => {
    const manifest = JSON.parse(files.find((f) => f.path === 'package.json')?.text ?? '{}');
    expect(manifest).toMatchObject({
      name: '@attune/browser-sdk',
      version: '1.2.3',
      exports: { '.': { types: './index.d.ts', import: './index.js', require: './index.cjs' } },
    });
    expect(files.find((f) => f.path === 'sdk.js')?.text).toBe(source);
    for (const name of ['init', 'recommendations', 'related', 'track', 'observe', 'flush', 'identity']) {
      expect(files.find((f) => f.path === 'index.js')?.text).toContain(
        `export var ${name} = Attune.${name};`,
      );
      expect(declarations).toContain(`export declare const ${name}:`);
    }
  });

  it('works when imported as a module: calls the edge and sends events, leaving no global behind', async () => {
    const calls: { url: string; body?: string }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: { body?: string }) => {
        calls.push({ url, ...(init?.body ? { body: init.body } : {}) });
        if (url.includes('/v1/events')) return new Response(JSON.stringify({ accepted: 1 }), { status: 202 });
        return Response.json({ items: [{ item_id: 'i1', position: 0 }], decision_id: 'd-9' });
      }),
    );
    const mod = (await import(pathToFileURL(join(dir, 'index.js')).href)) as {
      default: Sdk;
      init: Sdk['init'];
    };
    expect((globalThis as { Attune?: unknown }).Attune).toBeUndefined();
    expect(mod.init).toBe(mod.default.init);

    mod.default.init({ endpoint: 'https://edge.test/', userId: 'u-7', sessionId: 's-1' });
    const list = await mod.default.recommendations({ limit: 3, categories: ['books', 'music'] });
    expect(list.items).toHaveLength(1);
    const asked = new URL(calls[0]?.url ?? '');
    expect(asked.origin + asked.pathname).toBe('https://edge.test/v1/recommendations');
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({
      user_id: 'u-7',
      session_id: 's-1',
      limit: '3',
      categories: 'books,music',
    });

    mod.default.track('click', 'i1');
    expect(await mod.default.flush()).toBe(1);
    const sent = JSON.parse(calls[1]?.body ?? '[]') as Record<string, unknown>[];
    expect(sent[0]).toMatchObject({
      type: 'click',
      item_id: 'i1',
      user_id: 'u-7',
      decision_id: 'd-9',
      position: 0,
    });
  });

  it('works when required as CommonJS', () => {
    const sdk = createRequire(import.meta.url)(join(dir, 'index.cjs')) as Sdk & { default: Sdk };
    expect(sdk.default).toBe(sdk);
    expect(
      sdk.init({ endpoint: 'https://edge.test', anonymousId: 'a-1', sessionId: 's-2' }).identity(),
    ).toEqual({
      anonymous_id: 'a-1',
      session_id: 's-2',
    });
  });
});
