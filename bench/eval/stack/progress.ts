import { progressLines } from '../../common/progress';

/** Writes `eval: ...` lines to stderr; the eval keeps stdout for its final JSON line. */
export const log = (msg: string) => process.stderr.write(`eval: ${msg}\n`);

/** A phase's progress as `eval:` lines; `finish` returns the phase's seconds. */
export interface Progress {
  add(n: number): void;
  finish(): number;
}

/** `label [######--------------] 120/400 30.0% 41 req/s elapsed 2.9s ETA 6.8s` on stderr. */
export function progress(label: string, total: number, unit: string, everyMs = 2000): Progress {
  const bar = progressLines(log, label, total, unit, everyMs);
  return { add: (n) => bar.add(n), finish: () => bar.finish().seconds };
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
