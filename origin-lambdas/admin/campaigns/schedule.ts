import type { CampaignStatus, Schedule } from './schemas';

/** Statuses a person sets; the schedule never overrides them. */
const MANUAL: ReadonlySet<CampaignStatus> = new Set(['draft', 'paused', 'archived']);

/**
 * The status a campaign has at `now`: a pure function of its stored status and schedule, applied
 * on every read and persisted by the sweep. Draft, paused and archived are decisions, not times.
 */
export function effectiveStatus(stored: CampaignStatus, schedule: Schedule, now: number): CampaignStatus {
  if (MANUAL.has(stored)) return stored;
  if (schedule.end && now >= Date.parse(schedule.end)) return 'ended';
  if (schedule.start && now < Date.parse(schedule.start)) return 'scheduled';
  return 'active';
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Day of week (0 = Sunday) and minutes since midnight at `now` in `timeZone`. */
export function localClock(now: number, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(now));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: WEEKDAYS.indexOf(get('weekday')), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `now` falls in one of the daily windows (always, when there are none). A window whose
 * end is before its start runs over midnight and belongs to the day it starts on.
 */
export function inDailyWindow(schedule: Schedule, now: number): boolean {
  if (!schedule.daily_windows.length) return true;
  const { day, minutes } = localClock(now, schedule.time_zone);
  return schedule.daily_windows.some((w) => {
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    const onDay = (d: number) => !w.days || w.days.includes(d);
    if (start < end) return onDay(day) && minutes >= start && minutes < end;
    return (onDay(day) && minutes >= start) || (onDay((day + 6) % 7) && minutes < end);
  });
}

/** Whether a campaign may be shown at `now`. */
export function servingNow(stored: CampaignStatus, schedule: Schedule, now: number): boolean {
  return effectiveStatus(stored, schedule, now) === 'active' && inDailyWindow(schedule, now);
}
