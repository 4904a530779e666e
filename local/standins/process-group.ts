import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** A child started as the leader of its own process group, so stopping it stops its whole tree. */
export interface GroupChild {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  stop(timeoutMs?: number): Promise<void>;
  exited(): boolean;
}

export interface SpawnGroupOptions extends Omit<SpawnOptions, 'detached'> {
  /** Called with each line the child prints (stdout and stderr). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export function spawnGroup(
  name: string,
  command: string,
  args: string[],
  opts: SpawnGroupOptions = {},
): GroupChild {
  const { onLine, ...spawnOpts } = opts;
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...spawnOpts,
    // Own process group: one signal to -pid reaches grandchildren (workerd under wrangler, etc.).
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  let done = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      resolve();
    });
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const src = child[stream];
    if (!src) continue;
    let buf = '';
    src.setEncoding('utf8');
    src.on('data', (chunk: string) => {
      buf += chunk;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (line.trim()) onLine?.(line, stream);
        nl = buf.indexOf('\n');
      }
    });
  }
  return {
    name,
    child,
    pid,
    exited: () => done,
    async stop(timeoutMs = 5000) {
      if (!done) signalGroup(pid, 'SIGTERM');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
      if ((await Promise.race([exit, timer])) === 'timeout') signalGroup(pid, 'SIGKILL');
      await Promise.race([exit, new Promise((r) => setTimeout(r, 2000).unref())]);
      // The leader may be gone while members linger (workerd under wrangler); empty the group
      // and wait until the kernel has really removed them, so "stopped" means stopped.
      signalGroup(pid, 'SIGKILL');
      for (let i = 0; i < 60 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

/** Sends a signal to a whole process group; a group that no longer exists is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** True while any process of the group is alive (zombies waiting to be reaped do not count). */
export function groupAlive(pgid: number): boolean {
  if (existsSync('/proc/self/stat')) return groupMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live (non-zombie) pids in a process group, read from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command: state ppid pgrp ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(name));
  }
  return members;
}
