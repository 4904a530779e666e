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

/** Resolves when the child prints a line matching `ready`, rejects if it exits first. */
export function waitForLine(child: GroupChild, ready: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${child.name} printed no ready line in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer | string) => {
      const m = String(chunk)
        .split('\n')
        .find((l) => ready.test(l));
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.child.stdout?.on('data', onData);
    child.child.stderr?.on('data', onData);
    child.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited with code ${code} before it was ready`));
    });
  });
}
