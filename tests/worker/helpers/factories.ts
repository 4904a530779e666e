import type { AttuneEvent } from '../../../shared/schemas/event';
import type { RecommendationResponse, RecommendedItem } from '../../../shared/schemas/recommendation';

/** Items `ids`, scored in order. */
export function items(ids: readonly string[]): RecommendedItem[] {
  return ids.map((item_id, position) => ({
    item_id,
    score: 1 - position / 100,
    position,
    reasons: [{ code: 'similar', text: 'Similar to what you viewed' }],
    sponsored: false,
  }));
}

/** An origin answer holding `ids`. */
export function originResponse(ids: readonly string[], overrides: Partial<RecommendationResponse> = {}) {
  return {
    items: items(ids),
    request_id: 'origin-req',
    decision_id: 'dec-1',
    surface: 'home',
    model_version: 'ranker-v1',
    fallback_level: 0,
    served_by: 'origin',
    candidates_retrieved: 200,
    candidates_scored: 100,
    timings_ms: { retrieve: 3, rank: 5 },
    ...overrides,
  } satisfies RecommendationResponse;
}

/** A valid click event. */
export function clickEvent(overrides: Partial<AttuneEvent> = {}): AttuneEvent {
  return {
    event_id: crypto.randomUUID(),
    user_id: 'u1',
    session_id: 's1',
    type: 'click',
    item_id: 'item-00001',
    ts: new Date().toISOString(),
    ...overrides,
  };
}
