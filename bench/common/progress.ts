/** A phase's progress: done/total, rate and ETA, printed at most every `everyMs`. */
export interface Progress {
  add(n: number): void;
  /** Prints the final line and returns the phase's seconds and rate. */
  finish(): { seconds: number; perSecond: number };
}

const clock = (s: number) => {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
};

/**
 * A progress bar as log lines through `log` (they survive a redirect to a file, unlike a
 * carriage-return bar): `catalog [######----] 600000/1000000 60.0% 2,310 items/s ETA 2m53s`.
 * Each bench passes its own `log`, so the bar reads as part of that bench's output.
 */
export function progressLines(
  log: (line: string) => void,
  label: string,
  total: number,
  unit: string,
  everyMs = 2000,
): Progress {
  const started = performance.now();
  let done = 0;
  let lastPrint = started;
  let printed = -1;
  const line = () => {
    printed = done;
    const s = (performance.now() - started) / 1000;
    const rate = done / Math.max(s, 1e-9);
    const filled = Math.round((done / Math.max(total, 1)) * 20);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(20 - filled)}`;
    const pct = ((done / Math.max(total, 1)) * 100).toFixed(1);
    log(
      `${label} [${bar}] ${done}/${total} ${pct}% ${Math.round(rate).toLocaleString('en')} ${unit}/s ` +
        `elapsed ${clock(s)} ETA ${clock((total - done) / rate)}`,
    );
  };
  return {
    add(n) {
      done += n;
      const now = performance.now();
      if (now - lastPrint >= everyMs) {
        lastPrint = now;
        line();
      }
    },
    finish() {
      if (printed !== done) line();
      const seconds = (performance.now() - started) / 1000;
      return {
        seconds: Math.round(seconds * 10) / 10,
        perSecond: Math.round(done / Math.max(seconds, 1e-9)),
      };
    },
  };
}
