/**
 * Starts the two Workers under test, each in its own process group (`host.ts`): the real edge
 * Worker, bundled by wrangler from wrangler.toml, and the baseline Worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GroupChild, spawnGroup } from '../../local/standins/process-group';

/** A Worker served on loopback, warm, until `stop`. */
export interface RunningWorker {
  readonly kind: 'real' | 'baseline';
  readonly url: string;
  readonly warmMs: number;
  stop(): Promise<void>;
}

const OFFLINE_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const HERE = import.meta.dirname;
const WRANGLER = join(HERE, '../../node_modules/wrangler/bin/wrangler.js');

/** Temporary directories and children this run made; `cleanup` removes and stops all of them. */
export class Resources {
  private readonly dirs: string[] = [];
  private readonly children: GroupChild[] = [];

  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  track(child: GroupChild): GroupChild {
    this.children.push(child);
    return child;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.children.splice(0).map((c) => c.stop().catch(() => undefined)));
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Bundles the Worker exactly as a deploy would (`wrangler deploy --dry-run --outdir`), top-level
 * environment, into a temporary directory.
 * @returns the directory holding `index.js` and its text modules.
 */
export async function bundleWorker(res: Resources, config: string): Promise<string> {
  const out = res.tempDir('attune-bench-edge-bundle-');
  const lines: string[] = [];
  const child = res.track(
    spawnGroup(
      'wrangler-bundle',
      process.execPath,
      [WRANGLER, 'deploy', '--dry-run', '--outdir', out, '--config', config, '--env', ''],
      { env: OFFLINE_ENV, onLine: (l) => lines.push(l) },
    ),
  );
  const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
  if (code !== 0) throw new Error(`wrangler bundle failed (exit ${code}):\n${lines.slice(-20).join('\n')}`);
  return out;
}

/** Options for {@link startWorker}. */
export interface StartWorkerOptions {
  readonly bundleDir?: string;
  readonly config: string;
  readonly users: number;
  readonly candidates: number;
  /** Serve the real Worker without its RATE_LIMITER binding, to see what the binding costs. */
  readonly withoutRateLimiter?: boolean;
  /** @default 180000 (warming thousands of 90 KB records takes a while on a loaded machine) */
  readonly timeoutMs?: number;
}

/**
 * Starts `host.ts` for one Worker and waits for its `READY` line (KV warm).
 * @throws Error when the host exits or does not get ready in time.
 */
export async function startWorker(
  res: Resources,
  kind: 'real' | 'baseline',
  options: StartWorkerOptions,
): Promise<RunningWorker> {
  const args = ['--import', 'tsx', join(HERE, 'host.ts'), '--kind', kind, '--config', options.config];
  args.push('--users', String(options.users), '--candidates', String(options.candidates));
  if (options.bundleDir) args.push('--bundle', options.bundleDir);
  if (options.withoutRateLimiter) args.push('--without-rate-limiter');
  const tail: string[] = [];
  let onReady: (line: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => {
    onReady = resolve;
  });
  const child = res.track(
    spawnGroup(`${kind}-worker`, process.execPath, args, {
      env: OFFLINE_ENV,
      onLine: (line) => {
        if (line.startsWith('READY ')) onReady(line.slice(6));
        else {
          tail.push(line);
          if (tail.length > 20) tail.shift();
        }
      },
    }),
  );
  const exited = new Promise<never>((_, reject) =>
    child.child.once('exit', (code) =>
      reject(new Error(`${kind} worker exited (${code}):\n${tail.join('\n')}`)),
    ),
  );
  const timeoutMs = options.timeoutMs ?? 180_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${kind} worker not ready in ${timeoutMs} ms`)), timeoutMs);
  });
  // Once ready, a later exit is reported by the load phase (connection errors), not as a rejection.
  exited.catch(() => undefined);
  const info = JSON.parse(
    await Promise.race([ready, exited, timeout]).finally(() => clearTimeout(timer)),
  ) as {
    url: string;
    warm_ms: number;
  };
  return { kind, url: info.url, warmMs: info.warm_ms, stop: () => child.stop() };
}
