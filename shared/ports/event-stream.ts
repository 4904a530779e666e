import type { StreamEvent } from '../schemas/event';

/** Result of putting a batch on the stream: indexes of the events that could not be stored. */
export interface PutEventsResult {
  readonly accepted: number;
  readonly failedIndexes: readonly number[];
}

/** Port: the event stream (Kinesis in production and locally through kinesalite). */
export interface EventStream {
  putEvents(events: readonly StreamEvent[]): Promise<PutEventsResult>;
  health(): Promise<DependencyHealth>;
}

export interface DependencyHealth {
  readonly ok: boolean;
  readonly detail?: string;
}
