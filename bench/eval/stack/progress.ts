/** Writes `eval: ...` lines to stderr; the eval keeps stdout for its final JSON line. */
export const log = (msg: string) => process.stderr.write(`eval: ${msg}\n`);

/** A phase's progress: done/total, rate and ETA, printed as log lines at most every `everyMs`. */
export interface Progress {
  add(n: number): void;
  /** Prints the final line and returns the phase's seconds. */
  finish(): number;
}

const clock = (s: number) => {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
};

/** `label [######--------------] 120/400 30.0% 41 req/s elapsed 2.9s ETA 6.8s` on stderr. */
export function progress(label: string, total: number, unit: string, everyMs = 2000): Progress {
  const started = performance.now();
  let done = 0;
  let last = started;
  let printed = -1;
  const line = () => {
    printed = done;
    const s = (performance.now() - started) / 1000;
    const rate = done / Math.max(s, 1e-9);
    const filled = Math.round((done / Math.max(total, 1)) * 20);
    log(
      `${label} [${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${done}/${total} ` +
        `${((done / Math.max(total, 1)) * 100).toFixed(1)}% ${rate.toFixed(0)} ${unit}/s ` +
        `elapsed ${clock(s)} ETA ${clock((total - done) / rate)}`,
    );
  };
  return {
    add(n) {
      done += n;
      const now = performance.now();
      if (now - last >= everyMs) {
        last = now;
        line();
      }
    },
    finish() {
      if (printed !== done) line();
      return Math.round((performance.now() - started) / 100) / 10;
    },
  };
}

/** Runs `fn` over `inputs` with at most `concurrency` calls in flight; results keep input order. */
export async function mapPool<T, R>(
  inputs: readonly T[],
  concurrency: number,
  fn: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(inputs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < inputs.length; i = next++) out[i] = await fn(inputs[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker));
  return out;
}
