import type { DependencyHealth } from '../../../shared/ports/event-stream';
import type { RecommendationResponse } from '../../../shared/schemas/recommendation';
import type { ListRecord, RecsRecord } from './records';

/** Port: the edge cache of answers and fallback lists (Workers KV). */
export interface EdgeCache {
  /** `variant` (recommend/variant.ts) separates filtered and context-specific answers. */
  getRecs(subject: string, surface: string, variant?: string): Promise<RecsRecord | undefined>;
  /** Stores an answer; its `candidates` (and `slots`), when present, make a v2 record. */
  putRecs(
    subject: string,
    surface: string,
    response: RecommendationResponse,
    storedAt: number,
    variant?: string,
  ): Promise<void>;
  /** A fallback list by its KV key (`KV_KEYS.segment(...)` or `KV_KEYS.popular`). */
  getList(key: string): Promise<ListRecord | undefined>;
  health(): Promise<DependencyHealth>;
}
