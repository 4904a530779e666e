import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** One request the client should send and the documented response OpenSearch gives to it. */
export interface Exchange {
  readonly request: {
    readonly method: string;
    /** Path with query string, as sent. */
    readonly path: string;
    /** JSON body. */
    readonly body?: unknown;
    /** `_bulk` body: one entry per NDJSON line. */
    readonly ndjson?: readonly unknown[];
  };
  readonly response: { readonly status: number; readonly body?: unknown };
}

/** `tests/fixtures/opensearch/<name>.json`: one adapter operation's whole conversation. */
export interface Fixture {
  readonly about: string;
  /** The OpenSearch documentation pages the shapes follow. */
  readonly docs: readonly string[];
  readonly exchanges: readonly Exchange[];
}

export function loadFixture(name: string): Fixture {
  const path = join(import.meta.dirname, '..', 'fixtures', 'opensearch', `${name}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as Fixture;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly ndjson?: unknown[];
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface Replay {
  readonly url: string;
  /** What the client sent, in order; compare with `expected`. */
  readonly received: ReceivedRequest[];
  /** The fixture's requests in the same shape as `received` (without headers). */
  readonly expected: Exchange['request'][];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 that answers the n-th request with the n-th fixture response and
 * records what arrived, so a test can assert the exact requests and the parsing of real-shaped
 * responses. A request beyond the script gets a 500.
 */
export async function startReplay(exchanges: readonly Exchange[]): Promise<Replay> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const type = String(req.headers['content-type'] ?? '');
      const parsed = !raw
        ? {}
        : type.includes('ndjson')
          ? {
              ndjson: raw
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l) as unknown),
            }
          : { body: JSON.parse(raw) as unknown };
      received.push({ method: req.method ?? '', path: req.url ?? '', ...parsed, headers: req.headers });
      const next = exchanges[received.length - 1];
      const status = next?.response.status ?? 500;
      const body = next ? next.response.body : { error: 'request beyond the fixture script' };
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(body === undefined || req.method === 'HEAD' ? undefined : JSON.stringify(body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    expected: exchanges.map((e) => e.request),
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : ok()));
      }),
  };
}

/** The received requests without headers, for `toEqual(replay.expected)`. */
export function withoutHeaders(received: readonly ReceivedRequest[]): Exchange['request'][] {
  return received.map(({ headers: _h, ...r }) => r);
}
