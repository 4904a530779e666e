import { vi } from 'vitest';

/** One outbound request the Worker made, as the fake origin saw it. */
export interface OriginCall {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string;
}

type Handler = (call: OriginCall, signal: AbortSignal | undefined) => Response | Promise<Response>;

/** The Worker's origin, answered in-isolate: the Worker under test shares the test's global `fetch`. */
export interface FakeOrigin {
  readonly calls: OriginCall[];
  /** Answers `METHOD /path` with `handler`; unrouted paths get a 404. */
  on(method: string, path: string, handler: Handler): FakeOrigin;
  /** Every request fails like an unreachable host. */
  down(): FakeOrigin;
  callsTo(method: string, path: string): OriginCall[];
}

/** Answers JSON with status 200 (or `status`). */
export const json =
  (body: unknown, status = 200): Handler =>
  () =>
    Response.json(body, { status });

/** Never answers; rejects when the caller's signal aborts (the Worker's timeout). */
export const hang: Handler = (_call, signal) =>
  new Promise((_, reject) => {
    if (!signal) return;
    signal.addEventListener('abort', () => reject(signal.reason));
  });

/**
 * Replaces global `fetch` for requests to `base`; any other outbound request fails the test.
 * Restore with `vi.restoreAllMocks()`.
 */
export function installFakeOrigin(base = 'http://127.0.0.1:8790'): FakeOrigin {
  const routes = new Map<string, Handler>();
  let isDown = false;
  const calls: OriginCall[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    if (!req.url.startsWith(base)) throw new Error(`unexpected outbound fetch to ${req.url}`);
    const call: OriginCall = {
      method: req.method,
      url: new URL(req.url),
      headers: req.headers,
      body: req.body ? await req.text() : '',
    };
    calls.push(call);
    if (isDown) throw new TypeError('Network connection lost.');
    const handler = routes.get(`${call.method} ${call.url.pathname}`);
    return handler ? handler(call, init?.signal ?? undefined) : new Response('not found', { status: 404 });
  });
  const origin: FakeOrigin = {
    calls,
    on(method, path, handler) {
      routes.set(`${method} ${path}`, handler);
      return origin;
    },
    down() {
      isDown = true;
      return origin;
    },
    callsTo: (method, path) => calls.filter((c) => c.method === method && c.url.pathname === path),
  };
  return origin;
}
