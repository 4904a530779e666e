import Sentiment from 'sentiment';
import type { StreamEvent } from '../../shared/schemas/event';

const analyzer = new Sentiment();
const clamp = (x: number, lo = -1, hi = 1) => Math.min(hi, Math.max(lo, x));

/** Review text in [-1, 1]: AFINN's per-word comparative score (-5..5) scaled, then clamped. */
export function textValence(text: string): number {
  return clamp(analyzer.analyze(text).comparative / 2.5);
}

const VALENCE: Partial<Record<StreamEvent['type'], number>> = {
  purchase: 1,
  add_to_cart: 0.6,
  share: 0.6,
  click: 0.2,
  skip: -0.3,
  hide: -1,
};
const ENGAGED = new Set(['click', 'add_to_cart', 'purchase', 'share', 'rating']);
const BROWSING = new Set(['view', 'click', 'dwell', 'skip', 'hide', 'add_to_cart', 'purchase', 'share']);

/**
 * Moves the mood vector (valence, engagement, skip_rate, hide_rate) by one event with an
 * exponential moving average of rate `alpha`, touching only the components the event says
 * something about. Ratings and review text both speak to valence; text wins when present.
 */
export function updateMood(mood: readonly number[] | undefined, e: StreamEvent, alpha = 0.2): number[] {
  const next = mood?.length === 4 ? [...mood] : [0, 0, 0, 0];
  moveMood(next, e, alpha);
  return next;
}

/** As updateMood, but moves `mood` itself (a 4-component vector the caller owns). */
export function moveMood(mood: number[], e: StreamEvent, alpha = 0.2): void {
  let valence = VALENCE[e.type];
  if (e.type === 'rating' && e.rating !== undefined) valence = (e.rating - 3) / 2;
  if (e.text) valence = textValence(e.text);
  if (valence !== undefined) ema(mood, 0, valence, alpha);
  if (e.type === 'dwell') ema(mood, 1, Math.min(1, (e.dwell_ms ?? 0) / 60_000), alpha);
  else if (ENGAGED.has(e.type)) ema(mood, 1, 1, alpha);
  else if (e.type === 'skip' || e.type === 'hide') ema(mood, 1, 0, alpha);
  if (BROWSING.has(e.type)) {
    ema(mood, 2, e.type === 'skip' ? 1 : 0, alpha);
    ema(mood, 3, e.type === 'hide' ? 1 : 0, alpha);
  }
}

function ema(v: number[], i: number, x: number, alpha: number): void {
  v[i] = (1 - alpha) * (v[i] as number) + alpha * x;
}
