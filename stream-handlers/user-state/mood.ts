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
  const ema = (i: number, x: number) => {
    next[i] = (1 - alpha) * (next[i] as number) + alpha * x;
  };
  let valence = VALENCE[e.type];
  if (e.type === 'rating' && e.rating !== undefined) valence = (e.rating - 3) / 2;
  if (e.text) valence = textValence(e.text);
  if (valence !== undefined) ema(0, valence);
  if (e.type === 'dwell') ema(1, Math.min(1, (e.dwell_ms ?? 0) / 60_000));
  else if (ENGAGED.has(e.type)) ema(1, 1);
  else if (e.type === 'skip' || e.type === 'hide') ema(1, 0);
  if (BROWSING.has(e.type)) {
    ema(2, e.type === 'skip' ? 1 : 0);
    ema(3, e.type === 'hide' ? 1 : 0);
  }
  return next;
}
