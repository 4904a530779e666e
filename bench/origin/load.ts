import { seededRandom } from '../../shared/random';
import { progress } from './progress';

/** The part of the recommend app the load phase calls (hono's in-process `app.request`). */
export interface RequestTarget {
  request(path: string): Response | Promise<Response>;
}

/** One measured request. */
export interface Sample {
  readonly ms: number;
  readonly status: number;
  readonly timings: Readonly<Record<string, number>>;
  readonly retrieved?: number;
  readonly fallbackLevel?: number;
}

export interface LoadOptions {
  readonly requests: number;
  readonly concurrency: number;
  /** Label on the progress line. */
  readonly label: string;
  readonly userIds: readonly string[];
  /** @default 20 */
  readonly limit?: number;
  /** @default 99 */
  readonly seed?: number;
}

/**
 * Sends `requests` recommendation requests for users drawn at random, `concurrency` in flight
 * (closed loop: each lane sends its next request when the last answered). Latency is the whole
 * `app.request`, routing and JSON parse of the answer included.
 */
export async function runLoad(
  target: RequestTarget,
  opts: LoadOptions,
): Promise<{ samples: Sample[]; seconds: number }> {
  const rand = seededRandom(opts.seed ?? 99);
  const limit = opts.limit ?? 20;
  const samples: Sample[] = [];
  const bar = progress(opts.label, opts.requests, 'req', 5000);
  let sent = 0;
  const lane = async () => {
    while (sent < opts.requests) {
      sent++;
      const user = opts.userIds[Math.floor(rand() * opts.userIds.length)] as string;
      const path = `/v1/recommendations?user_id=${encodeURIComponent(user)}&surface=home&limit=${limit}`;
      const t0 = performance.now();
      const res = await target.request(path);
      const body = (await res.json()) as {
        timings_ms?: Record<string, number>;
        candidates_retrieved?: number;
        fallback_level?: number;
      };
      const ms = performance.now() - t0;
      samples.push({
        ms,
        status: res.status,
        timings: body.timings_ms ?? {},
        ...(typeof body.candidates_retrieved === 'number' ? { retrieved: body.candidates_retrieved } : {}),
        ...(typeof body.fallback_level === 'number' ? { fallbackLevel: body.fallback_level } : {}),
      });
      bar.add(1);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.concurrency }, lane));
  const seconds = (performance.now() - t0) / 1000;
  bar.finish();
  return { samples, seconds };
}
