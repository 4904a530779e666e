/**
 * An event's stream position: its record's sequence number, and for a record that carries several
 * events (shared/schemas/event-record.ts) the event's index in it, as `<sequence>.<index>` with the
 * index zero-padded to SUB_DIGITS. Watermarks store positions, so the events of one record are
 * ordered among themselves and a retried record resumes after the last event it applied.
 */
export const SUB_DIGITS = 5;

/** The position of event `index` of a record; a one-event record's position is its sequence number. */
export function eventPosition(sequenceNumber: string, index: number, eventsInRecord: number): string {
  return eventsInRecord > 1 ? `${sequenceNumber}.${String(index).padStart(SUB_DIGITS, '0')}` : sequenceNumber;
}

/** The sequence number of the record a position belongs to: what Lambda's batch response names. */
export function recordSequence(position: string): string {
  const dot = position.indexOf('.');
  return dot < 0 ? position : position.slice(0, dot);
}

/**
 * Kinesis sequence numbers are decimal strings of up to 128 digits; they order numerically,
 * which for digit strings means by length first, then lexicographically. Positions in one record
 * order by their index, after the bare sequence number.
 */
export function compareSequence(a: string, b: string): number {
  const da = a.indexOf('.');
  const db = b.indexOf('.');
  const la = da < 0 ? a.length : da;
  const lb = db < 0 ? b.length : db;
  if (la !== lb) return la < lb ? -1 : 1;
  // Same digit count: plain string order is numeric order, and with fixed-width indexes it also
  // orders `<seq>` < `<seq>.00000` < `<seq>.00001`.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A position with its sequence number left-padded to 128 digits, so DynamoDB's string comparison
 * in a condition expression orders it like compareSequence.
 */
export function padSequence(position: string): string {
  const dot = position.indexOf('.');
  return dot < 0
    ? position.padStart(128, '0')
    : position.slice(0, dot).padStart(128, '0') + position.slice(dot);
}
