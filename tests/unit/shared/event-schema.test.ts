import { describe, expect, it } from 'vitest';
import { makeEventSchema, partitionKeyOf } from '../../../shared/schemas/event';
import { makeEvent } from '../../helpers/events';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const schema = makeEventSchema(() => NOW);
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe('event schema', () => {
  it('accepts a valid click', () => {
    expect(schema.safeParse(makeEvent({ ts: at(0) })).success).toBe(true);
  });

  it('rejects unknown fields, naming them', () => {
    const r = schema.safeParse({ ...makeEvent({ ts: at(0) }), colour: 'red' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('needs a user_id or an anonymous_id', () => {
    const { user_id: _, ...anon } = makeEvent({ ts: at(0) });
    const r = schema.safeParse(anon);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['user_id']);
    expect(schema.safeParse({ ...anon, anonymous_id: 'a-1' }).success).toBe(true);
  });

  it('rejects timestamps too far in the future or past', () => {
    expect(schema.safeParse(makeEvent({ ts: at(4 * 60_000) })).success).toBe(true);
    expect(schema.safeParse(makeEvent({ ts: at(6 * 60_000) })).error?.issues[0]?.message).toMatch(/future/);
    expect(schema.safeParse(makeEvent({ ts: at(-8 * 86_400_000) })).error?.issues[0]?.message).toMatch(
      /past/,
    );
  });

  it('requires item_id for item events and campaign_id for campaign events', () => {
    const r1 = schema.safeParse(makeEvent({ ts: at(0), item_id: undefined }));
    expect(r1.error?.issues.map((i) => i.path.join('.'))).toEqual(['item_id']);
    const r2 = schema.safeParse(makeEvent({ ts: at(0), type: 'campaign_click', item_id: undefined }));
    expect(r2.error?.issues.map((i) => i.path.join('.'))).toEqual(['campaign_id']);
  });

  it('bounds sizes', () => {
    expect(schema.safeParse(makeEvent({ ts: at(0), text: 'x'.repeat(2001) })).success).toBe(false);
    expect(schema.safeParse(makeEvent({ ts: at(0), session_id: 's'.repeat(129) })).success).toBe(false);
  });

  it('partitions by user id, or by a prefixed anonymous id', () => {
    expect(partitionKeyOf({ user_id: 'u1' })).toBe('u1');
    expect(partitionKeyOf({ anonymous_id: 'a1' })).toBe('anon:a1');
  });
});
