/**
 * One closed-loop load phase with autocannon against a Worker on loopback. Latencies are taken
 * per response (float ms) rather than from autocannon's histogram, which records whole
 * milliseconds: at 1 to 3 ms on loopback that rounding alone would move a p95 ratio by 30%.
 */
import { createRequire } from 'node:module';

/** The part of autocannon's result this bench reads (the package ships no types). */
interface AutocannonResult {
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly duration: number;
  readonly latency: { readonly p50: number; readonly p97_5: number; readonly p99: number };
}

interface AutocannonRequest {
  method: string;
  path: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: unknown, headers: Record<string, string>) => void;
}

interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
}

type Autocannon = (
  opts: {
    url: string;
    connections: number;
    duration: number;
    requests: AutocannonRequest[];
    timeout?: number;
  },
  cb: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** What one phase saw. */
export interface PhaseResult {
  /** Response times of every completed response, ms. */
  readonly latenciesMs: number[];
  readonly responses: number;
  /** Responses that were not a 200 or, when `expectHit`, carried no `x-attune-cache: hit`. */
  readonly nonHit: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly seconds: number;
  /** autocannon's own (whole-ms) percentiles, kept as a cross-check. */
  readonly autocannon: { readonly p50: number; readonly p97_5: number; readonly p99: number };
  readonly statuses: Record<string, number>;
}

/** Options for {@link runPhase}. */
export interface PhaseOptions {
  readonly url: string;
  /** One path per user; requests take them round robin across all connections. */
  readonly paths: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  /** Count responses without `x-attune-cache: hit` as non-hits (the real Worker). */
  readonly expectHit: boolean;
  /** Called from an interrupt handler to end the phase early. */
  readonly signal?: AbortSignal;
}

/**
 * Drives `url` for `seconds` with `connections` connections, one request in flight on each.
 * Paths rotate globally, not per connection, so each user gets `rps / users` requests a second
 * and the Worker's per-client RATE_LIMITER binding (240 per 10 s) stays out of the way.
 */
export function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let nonHit = 0;
  const request: AutocannonRequest = {
    method: 'GET',
    path: options.paths[0] ?? '/',
    setupRequest: (req) => {
      req.path = options.paths[next++ % options.paths.length] ?? '/';
      return req;
    },
    onResponse: (status, _body, _context, headers) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200 || (options.expectHit && headers['x-attune-cache'] !== 'hit')) nonHit++;
    },
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        requests: [request],
        timeout: 10,
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          latenciesMs,
          responses: latenciesMs.length,
          nonHit,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          seconds: result.duration,
          autocannon: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
          statuses,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latenciesMs.push(ms));
    options.signal?.addEventListener('abort', () => instance.stop(), { once: true });
  });
}
