import { fileURLToPath } from 'node:url';
import { type GroupChild, spawnGroup } from '../standins/process-group';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Starts a TypeScript entry point of this repo under the same Node, in its own process group. */
export function spawnTsService(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  onLine: (line: string) => void,
): GroupChild {
  return spawnGroup(name, process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, ATTUNE_SUPERVISED: '1' },
    onLine,
  });
}

/**
 * Resolves when the child prints a line matching `ready` (on stdout or stderr), rejects if it
 * exits or stays silent for `timeoutMs` first. Lines are reassembled across chunks, and every
 * listener is removed once settled: the supervisor waits on the same long-lived children many
 * times (start-up, catch-up lines), and the output of a busy child is not always line-aligned.
 */
export function waitForLine(child: GroupChild, ready: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const streams = [child.child.stdout, child.child.stderr];
    const partial = ['', ''];
    const onData = streams.map((_, i) => (chunk: Buffer | string) => {
      const lines = (partial[i] + String(chunk)).split('\n');
      partial[i] = lines.pop() ?? '';
      const m = lines.find((l) => ready.test(l));
      if (m !== undefined) settle(() => resolve(m));
    });
    const onExit = (code: number | null) =>
      settle(() => reject(new Error(`${child.name} exited with code ${code} before it was ready`)));
    const timer = setTimeout(
      () => settle(() => reject(new Error(`${child.name} printed no ready line in ${timeoutMs} ms`))),
      timeoutMs,
    );
    function settle(finish: () => void) {
      clearTimeout(timer);
      for (const [i, s] of streams.entries()) s?.off('data', onData[i] as (c: Buffer | string) => void);
      child.child.off('exit', onExit);
      finish();
    }
    for (const [i, s] of streams.entries()) s?.on('data', onData[i] as (c: Buffer | string) => void);
    child.child.once('exit', onExit);
  });
}
