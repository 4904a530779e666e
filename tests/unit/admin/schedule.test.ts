import { describe, expect, it } from 'vitest';
import { effectiveStatus, inDailyWindow, servingNow } from '../../../origin-lambdas/admin/campaigns/schedule';
import type { Schedule } from '../../../origin-lambdas/admin/campaigns/schemas';

const at = (iso: string) => Date.parse(iso);
const schedule = (s: Partial<Schedule> = {}): Schedule => ({ time_zone: 'UTC', daily_windows: [], ...s });

describe('effectiveStatus', () => {
  const s = schedule({ start: '2026-03-01T00:00:00Z', end: '2026-03-10T00:00:00Z' });

  it('follows start and end for scheduled and active campaigns', () => {
    expect(effectiveStatus('scheduled', s, at('2026-02-28T23:59:59Z'))).toBe('scheduled');
    expect(effectiveStatus('scheduled', s, at('2026-03-01T00:00:00Z'))).toBe('active');
    expect(effectiveStatus('active', s, at('2026-03-09T23:59:59Z'))).toBe('active');
    expect(effectiveStatus('active', s, at('2026-03-10T00:00:00Z'))).toBe('ended');
    expect(effectiveStatus('ended', s, at('2026-03-05T00:00:00Z'))).toBe('active');
  });

  it('never overrides draft, paused or archived', () => {
    for (const status of ['draft', 'paused', 'archived'] as const)
      expect(effectiveStatus(status, s, at('2026-03-05T00:00:00Z'))).toBe(status);
  });

  it('is active forever without start or end', () => {
    expect(effectiveStatus('scheduled', schedule(), at('1999-01-01T00:00:00Z'))).toBe('active');
  });
});

describe('daily windows', () => {
  it('reads the clock in the campaign time zone', () => {
    const paris = schedule({ time_zone: 'Europe/Paris', daily_windows: [{ start: '09:00', end: '17:00' }] });
    // 07:30 UTC in June is 09:30 in Paris (UTC+2).
    expect(inDailyWindow(paris, at('2026-06-01T07:30:00Z'))).toBe(true);
    expect(inDailyWindow(paris, at('2026-06-01T06:30:00Z'))).toBe(false);
    expect(inDailyWindow(paris, at('2026-06-01T15:00:00Z'))).toBe(false);
  });

  it('runs over midnight and honours days of the week', () => {
    // Fridays 22:00 to 02:00; 2026-06-05 is a Friday.
    const late = schedule({ daily_windows: [{ days: [5], start: '22:00', end: '02:00' }] });
    expect(inDailyWindow(late, at('2026-06-05T23:00:00Z'))).toBe(true);
    expect(inDailyWindow(late, at('2026-06-06T01:59:00Z'))).toBe(true);
    expect(inDailyWindow(late, at('2026-06-06T02:00:00Z'))).toBe(false);
    expect(inDailyWindow(late, at('2026-06-06T23:00:00Z'))).toBe(false);
  });

  it('serves only when active and inside a window', () => {
    const s = schedule({ daily_windows: [{ start: '09:00', end: '10:00' }] });
    expect(servingNow('active', s, at('2026-06-01T09:30:00Z'))).toBe(true);
    expect(servingNow('active', s, at('2026-06-01T10:30:00Z'))).toBe(false);
    expect(servingNow('paused', s, at('2026-06-01T09:30:00Z'))).toBe(false);
  });
});
