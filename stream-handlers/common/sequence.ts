/**
 * Kinesis sequence numbers are decimal strings of up to 128 digits; they order numerically,
 * which for digit strings means by length first, then lexicographically.
 */
export function compareSequence(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A sequence number left-padded to 128 digits, so DynamoDB's string comparison in a
 * condition expression orders it numerically.
 */
export function padSequence(seq: string): string {
  return seq.padStart(128, '0');
}
