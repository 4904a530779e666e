import { type Progress, progressLines } from '../common/progress';

export type { Progress };

/** Prints `[bench:origin] ...` lines; every phase logs through it so the output reads as one log. */
export const log = (msg: string) => console.log(`[bench:origin] ${msg}`);

/** A progress bar as `[bench:origin]` log lines (see `progressLines`). */
export const progress = (label: string, total: number, unit: string, everyMs = 2000): Progress =>
  progressLines(log, label, total, unit, everyMs);
