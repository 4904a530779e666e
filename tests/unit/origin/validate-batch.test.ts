import { describe, expect, it } from 'vitest';
import { validateBatch } from '../../../origin-lambdas/ingest/validate-batch';
import { makeEvent } from '../../helpers/events';

describe('validateBatch', () => {
  it('accepts the good events of a mixed batch and names the bad fields of the rest', () => {
    const good = makeEvent();
    const bad = { ...makeEvent(), type: 'teleport' };
    const r = validateBatch([good, bad]);
    if ('error' in r) throw new Error(r.error);
    expect(r.valid.map((v) => v.index)).toEqual([0]);
    expect(r.rejected).toEqual([{ index: 1, event_id: bad.event_id, errors: [expect.objectContaining({ field: 'type' })] }]);
  });

  it('takes a single event object', () => {
    const r = validateBatch(makeEvent());
    expect('valid' in r && r.valid.length).toBe(1);
  });

  it('refuses empty, oversized and non-object payloads', () => {
    expect(validateBatch([])).toEqual({ error: 'batch is empty' });
    expect(validateBatch(Array.from({ length: 501 }, () => makeEvent()))).toEqual({
      error: 'batch holds 501 events; at most 500',
    });
    expect(validateBatch('hello')).toHaveProperty('error');
  });
});
