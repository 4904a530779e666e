import type { AttuneEvent } from '../../shared/schemas/event';

export interface SendOptions {
  readonly url: string;
  readonly total: number;
  /** Events per second; 0 = as fast as ingest answers. */
  readonly rate: number;
  readonly perRequest?: number;
  readonly inFlight?: number;
  /** Fraction of requests sent a second time, as a client retry would. */
  readonly duplicateRate: number;
  readonly next: (ts: string) => AttuneEvent;
  readonly onAccepted: (events: AttuneEvent[]) => void;
}

/** POSTs events to the ingest app at the offered rate; returns requests and duplicate sends made. */
export async function sendEvents(opts: SendOptions): Promise<{ requests: number; duplicateSends: number }> {
  const perRequest = opts.perRequest ?? 500;
  const inFlight = new Set<Promise<void>>();
  const limit = opts.inFlight ?? 6;
  let made = 0;
  let requests = 0;
  let duplicateSends = 0;
  const started = Date.now();
  const post = async (events: AttuneEvent[]) => {
    requests++;
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { rejected: { index: number }[] };
    const rejected = new Set(body.rejected.map((r) => r.index));
    opts.onAccepted(events.filter((_, i) => !rejected.has(i)));
  };
  while (made < opts.total) {
    const due =
      opts.rate > 0
        ? Math.min(opts.total, Math.floor(((Date.now() - started) / 1000) * opts.rate))
        : opts.total;
    if (made >= due || inFlight.size >= limit) {
      await (inFlight.size >= limit ? Promise.race(inFlight) : new Promise((r) => setTimeout(r, 10)));
      continue;
    }
    const n = Math.min(perRequest, due - made, opts.total - made);
    const ts = new Date().toISOString();
    const events = Array.from({ length: n }, () => opts.next(ts));
    made += n;
    const p: Promise<void> = (async () => {
      await post(events);
      // A client that did not trust the first answer sends the same events (same ids) again.
      if (Math.random() < opts.duplicateRate) {
        duplicateSends += events.length;
        await post(events);
      }
    })().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { requests, duplicateSends };
}
