import type { Interaction } from '../../../local/training/interactions';
import type { AttuneEvent } from '../../../shared/schemas/event';

const DAY_MS = 86_400_000;

/**
 * MovieLens has no sessions; a user's ratings on one UTC day stand in for one (people rate in
 * sittings), so the handler's session features move as they would for a real visit.
 */
export const sessionOf = (at: number) => `d${Math.floor(at / DAY_MS)}`;

/** One rating as the `rating` event a client would send for it. */
export function ratingEvent(x: Interaction): AttuneEvent {
  return {
    event_id: crypto.randomUUID(),
    user_id: x.user,
    session_id: sessionOf(x.at),
    type: 'rating',
    item_id: x.item,
    rating: x.value,
    ts: new Date(x.at).toISOString(),
  };
}
