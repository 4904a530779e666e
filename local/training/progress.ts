/** A one-line terminal progress bar on stderr; silent when stderr is not a TTY unless forced. */
export interface Progress {
  tick(done: number): void;
  finish(note?: string): void;
}

/**
 * Draws `label [#####.....] 42/100 12.3s` in place. Redraws at most every 100 ms so a tight loop
 * does not spend its time writing to the terminal.
 */
export function progressBar(label: string, total: number, opts: { enabled?: boolean } = {}): Progress {
  const enabled = opts.enabled ?? process.stderr.isTTY === true;
  const start = performance.now();
  let last = 0;
  const draw = (done: number, end: string) => {
    const width = 24;
    const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : width;
    const secs = ((performance.now() - start) / 1000).toFixed(1);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs}s${end}`,
    );
  };
  return {
    tick(done) {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, '');
    },
    finish(note = '') {
      const secs = ((performance.now() - start) / 1000).toFixed(1);
      if (enabled) draw(total, ` ${note}\n`);
      else process.stderr.write(`${label}: ${total}/${total} in ${secs}s ${note}\n`);
    },
  };
}
