import type { Reason } from '../schemas/recommendation';
import type { Rescored } from './rescore';

/** One sentence a person understands, chosen from what actually put the item in this place. */
export function explain(r: Rescored): Reason {
  const c = r.candidate;
  if (c.sponsored) return { code: 'sponsored', text: 'Sponsored' };
  if (c.source === 'explore') return { code: 'explore', text: 'Exploring something new' };
  if (r.sessionSimilarity >= 0.6) return { code: 'similar', text: 'Similar to what you are browsing' };
  if ((c.source === 'content' || c.source === 'collaborative') && c.anchor_title) {
    return { code: 'because_viewed', text: `Because you viewed ${c.anchor_title}` };
  }
  if (c.source === 'trending') return { code: 'trending', text: `Trending in ${c.category}` };
  if (c.freshness >= 0.8) return { code: 'new', text: 'New this week' };
  if (c.source === 'collaborative') return { code: 'similar', text: 'Picked for your taste' };
  return { code: 'popular', text: `Popular in ${c.category}` };
}
