/** Types of the Attune browser SDK (`@attune/browser-sdk`, also served by the edge at `/sdk.js`). */

export interface AttuneInit {
  /** The edge's base URL, e.g. `https://recs.example.com`. */
  endpoint: string;
  userId?: string;
  /** Defaults to a UUID kept in `localStorage` (`attune_aid`). */
  anonymousId?: string;
  /** Defaults to a UUID kept in `sessionStorage` (`attune_sid`). */
  sessionId?: string;
  /** @default 'home' */
  surface?: string;
}

export interface Reason {
  code: string;
  text: string;
}

export interface RecommendedItem {
  item_id: string;
  score: number;
  position: number;
  reasons: Reason[];
  sponsored: boolean;
  campaign_id?: string;
  title?: string;
  category?: string;
}

export interface RecommendationList {
  items: RecommendedItem[];
  request_id: string;
  decision_id: string;
  surface: string;
  model_version: string;
  fallback_level: number;
  served_by: 'origin' | 'edge-cache' | 'edge-fallback';
  [key: string]: unknown;
}

export interface RelatedList {
  item_id: string;
  items: RecommendedItem[];
  [key: string]: unknown;
}

export interface RecommendationOptions {
  surface?: string;
  /** 1 to 100. @default 12 */
  limit?: number;
  exclude?: string[];
  categories?: string[];
  itemId?: string;
}

export type EventType =
  | 'impression'
  | 'view'
  | 'click'
  | 'add_to_cart'
  | 'purchase'
  | 'rating'
  | 'dwell'
  | 'skip'
  | 'share'
  | 'hide'
  | 'campaign_view'
  | 'campaign_click'
  | 'notification_open';

export interface EventExtra {
  campaign_id?: string;
  surface?: string;
  position?: number;
  decision_id?: string;
  context?: Record<string, string>;
  dwell_ms?: number;
  rating?: number;
  value?: number;
  text?: string;
}

/** Thrown for a 4xx/5xx answer: `problem` is the problem+json body. */
export interface AttuneError extends Error {
  status: number;
  problem: unknown;
}

export interface AttuneSdk {
  init(options: AttuneInit): AttuneSdk;
  recommendations(options?: RecommendationOptions): Promise<RecommendationList>;
  related(itemId: string, options?: { limit?: number }): Promise<RelatedList>;
  /** Queues one event; returns its `event_id`. */
  track(type: EventType, itemId?: string, extra?: EventExtra): string;
  /** One `impression` when at least half of `el` is visible. */
  observe(el: Element, itemId: string, extra?: EventExtra): void;
  /** Sends the queue now; resolves with how many events the edge stored. */
  flush(): Promise<number>;
  identity(): { user_id?: string; anonymous_id?: string; session_id: string };
}

declare const Attune: AttuneSdk;
export default Attune;
export declare const init: AttuneSdk['init'];
export declare const recommendations: AttuneSdk['recommendations'];
export declare const related: AttuneSdk['related'];
export declare const track: AttuneSdk['track'];
export declare const observe: AttuneSdk['observe'];
export declare const flush: AttuneSdk['flush'];
export declare const identity: AttuneSdk['identity'];
