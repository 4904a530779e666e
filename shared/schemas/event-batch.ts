import { type AttuneEvent, EVENT_LIMITS, eventSchema } from './event';
import { fieldErrors } from './problem';

/** One event the edge refused, with the fields that failed. */
export interface Rejection {
  readonly index: number;
  readonly event_id?: string;
  readonly errors: { field: string; message: string }[];
}

/** The outcome of reading an events body. */
export type ParsedBatch =
  | { readonly kind: 'malformed'; readonly detail: string }
  | { readonly kind: 'too-many'; readonly count: number }
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'parsed';
      readonly accepted: AttuneEvent[];
      /** Position in the body of each accepted event, parallel to `accepted`. */
      readonly acceptedIndexes: number[];
      readonly rejected: Rejection[];
      /** Issues of every rejected event, paths prefixed with the index when the body was an array. */
      readonly issues: { path: PropertyKey[]; message: string }[];
    };

/**
 * Parses a body holding one event or an array of events and validates each one on its own,
 * so one bad event does not sink its batch. The edge and the origin ingest both read bodies with it.
 */
export function parseEventBatch(text: string, schema = eventSchema): ParsedBatch {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { kind: 'malformed', detail: error instanceof Error ? error.message : 'invalid JSON' };
  }
  const isArray = Array.isArray(body);
  const list: unknown[] = Array.isArray(body) ? body : [body];
  if (list.length === 0) return { kind: 'empty' };
  if (list.length > EVENT_LIMITS.maxBatch) return { kind: 'too-many', count: list.length };

  const accepted: AttuneEvent[] = [];
  const acceptedIndexes: number[] = [];
  const rejected: Rejection[] = [];
  const issues: { path: PropertyKey[]; message: string }[] = [];
  list.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      accepted.push(parsed.data);
      acceptedIndexes.push(index);
      return;
    }
    const eventId = (raw as { event_id?: unknown } | null)?.event_id;
    rejected.push({
      index,
      ...(typeof eventId === 'string' ? { event_id: eventId } : {}),
      errors: fieldErrors(parsed.error.issues),
    });
    for (const i of parsed.error.issues)
      issues.push({ path: isArray ? [index, ...i.path] : [...i.path], message: i.message });
  });
  return { kind: 'parsed', accepted, acceptedIndexes, rejected, issues };
}
