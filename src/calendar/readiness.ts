// Whether the calendar still counts on a provisional year that matters now: this year
// always, next year from 1 November (the State Council's notice usually comes out in
// November, and deadlines start reaching into January). /ready warns, the pages show a
// banner, /metrics has a gauge; nothing is refused.
import { shanghaiDate } from '../shared/time.js';
import type { WorkingCalendar } from './calendar.js';

export interface CalendarOutlook {
  /** the years counted by the statutory rule that deadlines reach now */
  provisionalYears: number[];
  /** one line for people, '' when all is in order */
  message: string;
}

export function calendarOutlook(calendar: WorkingCalendar, nowMs: number): CalendarOutlook {
  const today = shanghaiDate(nowMs);
  const thisYear = Number(today.slice(0, 4));
  const watched = today.slice(5) >= '11-01' ? [thisYear, thisYear + 1] : [thisYear];
  const provisionalYears = watched.filter((y) => !calendar.hasNotice(y));
  const message = provisionalYears.length
    ? `${provisionalYears.join('、')}年节假日安排尚未载入：涉及该年的期限按法定节假日暂定计算，请管理员载入国务院办公厅通知，载入后期限自动重算`
    : '';
  return { provisionalYears, message };
}

/** For /ready: one warning while a year deadlines reach is provisional. */
export function provisionalYearWarnings(calendar: WorkingCalendar, nowMs: number): string[] {
  const o = calendarOutlook(calendar, nowMs);
  return o.provisionalYears.length ? [`calendar: ${o.provisionalYears.join(', ')} provisional (no holiday notice loaded); ${o.message}`] : [];
}
