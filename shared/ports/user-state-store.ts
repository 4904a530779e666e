import type { StreamEvent } from '../schemas/event';
import type { DependencyHealth } from './event-stream';

/** The per-user state row that stream handlers keep current. */
export interface UserState {
  readonly user_id: string;
  readonly event_count: number;
  readonly recent_items: readonly string[];
  readonly last_event_type?: string;
  readonly last_event_at?: string;
  /** Highest stream sequence number applied; older deliveries are ignored. */
  readonly watermark?: string;
  readonly updated_at?: string;
}

/** One user's events from one batch, in stream order, with the last sequence number among them. */
export interface UserBatch {
  readonly userId: string;
  readonly events: readonly StreamEvent[];
  readonly lastSequenceNumber: string;
}

/** Port: user state (DynamoDB). */
export interface UserStateStore {
  getUser(userId: string): Promise<UserState | undefined>;
  /** Applies a user's batch once: a batch at or below the stored watermark changes nothing. */
  applyUserBatch(batch: UserBatch): Promise<{ applied: boolean }>;
  health(): Promise<DependencyHealth>;
}
