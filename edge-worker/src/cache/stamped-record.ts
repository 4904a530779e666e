/**
 * Records this Worker writes to KV and reads back on every request carry a stamp: the
 * fingerprint of the schema the record satisfied when it was written. A record with the current
 * stamp is used as read; any other (older code, another writer, a hand edit) is validated in
 * full. Why: in workerd, zod cannot compile its parsers (no `new Function`), so re-validating a
 * 65 KB candidate record took about a fifth of a hit's CPU, to re-check data that was validated
 * once already (the origin's answer, the session state built from validated events).
 *
 * The fingerprints are constants checked by `tests/unit/record-stamps.test.ts`, which fails when
 * a schema changes and its constant does not, so a new schema never trusts an old record.
 */

/** The member that carries the stamp. */
export const STAMP = '_schema';

/** What reading needs of a zod schema. */
export interface RecordParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** `record` with the stamp of the schema it satisfies. */
export function stamped<T extends object>(record: T, fingerprint: string): T & { [STAMP]: string } {
  return { ...record, [STAMP]: fingerprint };
}

/**
 * The record, as read from KV: used as is when stamped with `fingerprint`, else validated by
 * `schema` (undefined when that fails).
 */
export function readStamped<T>(raw: unknown, fingerprint: string, schema: RecordParser<T>): T | undefined {
  if (typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)[STAMP] === fingerprint)
    return raw as T;
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
