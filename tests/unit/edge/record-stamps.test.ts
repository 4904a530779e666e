import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RECS_RECORD_FINGERPRINT, recsRecordSchema } from '../../../edge-worker/src/cache/records';
import { readStamped, STAMP, stamped } from '../../../edge-worker/src/cache/stamped-record';
import { SESSION_STATE_FINGERPRINT, sessionStateSchema } from '../../../edge-worker/src/session/state';
import { fnv1a } from '../../../shared/embedding/hashed-encoder';

/** What the stamp constant must be for the schema as it is now. */
function fingerprintOf(prefix: string, schema: z.ZodType): string {
  const shape = JSON.stringify(z.toJSONSchema(schema, { unrepresentable: 'any' }));
  return `${prefix}-${fnv1a(shape).toString(16).padStart(8, '0')}`;
}

describe('record stamps', () => {
  // When one of these fails, a schema changed: set the constant to the value printed, so records
  // written under the old schema are validated in full instead of trusted.
  it('RECS_RECORD_FINGERPRINT matches recsRecordSchema', () => {
    expect(RECS_RECORD_FINGERPRINT).toBe(fingerprintOf('recs', recsRecordSchema));
  });

  it('SESSION_STATE_FINGERPRINT matches sessionStateSchema', () => {
    expect(SESSION_STATE_FINGERPRINT).toBe(fingerprintOf('session', sessionStateSchema));
  });

  const state = { seen: ['a'], hidden: [], categories: { drama: 1 }, vector: [0.5], updated_at: 5 };

  it('a record with the current stamp is used as read, without validation', () => {
    const calls: unknown[] = [];
    const schema = {
      safeParse: (v: unknown) => {
        calls.push(v);
        return { success: false as const };
      },
    };
    const raw = stamped(state, 'fp-1');
    expect(raw[STAMP]).toBe('fp-1');
    expect(readStamped(raw, 'fp-1', schema)).toBe(raw);
    expect(calls).toHaveLength(0);
  });

  it('a record with another stamp, or none, is validated and dropped when invalid', () => {
    expect(readStamped(stamped(state, 'old'), 'fp-1', sessionStateSchema)).toEqual(state);
    expect(readStamped({ ...state, vector: 'x' }, 'fp-1', sessionStateSchema)).toBeUndefined();
    expect(readStamped(stamped({ ...state, seen: 7 }, 'old'), 'fp-1', sessionStateSchema)).toBeUndefined();
    expect(readStamped(null, 'fp-1', sessionStateSchema)).toBeUndefined();
  });
});
