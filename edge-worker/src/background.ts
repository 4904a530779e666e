import type { Context } from 'hono';
import { log } from './log';

/**
 * Runs work after the response is sent (`waitUntil`), so a cache write or a forward never
 * delays the answer. Failures are logged, never thrown: nobody is left to catch them.
 */
export function defer(c: Context, what: string, work: Promise<unknown>): void {
  const guarded = work.catch((error: unknown) => log('warn', `background ${what} failed`, { error }));
  let waitUntil: ((p: Promise<unknown>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    waitUntil = (p) => ctx.waitUntil(p);
  } catch {
    // `app.request()` without an execution context: the promise runs unattended.
    return;
  }
  waitUntil(guarded);
}
