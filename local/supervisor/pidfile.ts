import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { groupAlive, signalGroup } from '../standins/process-group';

export interface PidEntry {
  readonly name: string;
  readonly pgid: number;
  /** A string the process's command line must contain for it to be ours. */
  readonly marker: string;
}

/** Records the process groups the supervisor started, so a later start can clean up after a crash. */
export class PidFile {
  private entries: PidEntry[] = [];
  constructor(private readonly file: string) {}

  add(entry: PidEntry): void {
    this.entries.push(entry);
    this.flush();
  }

  clear(): void {
    this.entries = [];
    this.flush();
  }

  /**
   * Stops groups left by a supervisor that died without cleaning up. A pgid is only signalled
   * when its leader's command line still carries the marker, so a recycled pid is never hit.
   */
  reapStale(log: (msg: string) => void): number {
    if (!existsSync(this.file)) return 0;
    let stale: PidEntry[] = [];
    try {
      stale = JSON.parse(readFileSync(this.file, 'utf8')) as PidEntry[];
    } catch {
      return 0;
    }
    let reaped = 0;
    for (const e of stale) {
      if (!groupAlive(e.pgid) || !commandLine(e.pgid).includes(e.marker)) continue;
      log(`stopping ${e.name} (process group ${e.pgid}) left over from an earlier run`);
      signalGroup(e.pgid, 'SIGKILL');
      reaped++;
    }
    this.clear();
    return reaped;
  }

  private flush(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.entries, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
