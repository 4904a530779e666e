import { EVENT_LIMITS, type AttuneEvent, makeEventSchema } from '../../shared/schemas/event';
import { fieldErrors } from '../../shared/schemas/problem';

export interface Rejection {
  readonly index: number;
  readonly event_id?: string;
  readonly errors: { field: string; message: string }[];
}

export interface ValidatedBatch {
  readonly valid: { index: number; event: AttuneEvent }[];
  readonly rejected: Rejection[];
}

/**
 * Validates one event or a batch; each event stands alone, so bad events never sink good ones.
 * Returns undefined for a payload that is neither an object nor an array of at most maxBatch.
 */
export function validateBatch(payload: unknown, now: () => number = Date.now): ValidatedBatch | { error: string } {
  const list = Array.isArray(payload) ? payload : [payload];
  if (!Array.isArray(payload) && (typeof payload !== 'object' || payload === null)) {
    return { error: 'body must be an event object or an array of events' };
  }
  if (list.length === 0) return { error: 'batch is empty' };
  if (list.length > EVENT_LIMITS.maxBatch) return { error: `batch holds ${list.length} events; at most ${EVENT_LIMITS.maxBatch}` };
  const schema = makeEventSchema(now);
  const valid: ValidatedBatch['valid'] = [];
  const rejected: Rejection[] = [];
  list.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) valid.push({ index, event: parsed.data });
    else {
      const id = (raw as { event_id?: unknown } | null)?.event_id;
      rejected.push({ index, ...(typeof id === 'string' ? { event_id: id } : {}), errors: fieldErrors(parsed.error.issues) });
    }
  });
  return { valid, rejected };
}
