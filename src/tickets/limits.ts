// Statutory or promised limits (第十五条 "法律法规另有规定或承诺时限的除外"): in working days
// through the hotline calendar, or in calendar days. Day counting stays in src/calendar.
import { deadlineAfter, isWorkingDay } from '../calendar/working-days.js';
import { nextDay } from '../calendar/dates.js';
import { shanghaiDate, shanghaiInstant } from '../shared/time.js';

export type LimitUnit = 'working' | 'calendar';
export const LIMIT_UNITS = ['working', 'calendar'] as const;

/**
 * "Within N days" of an instant, the end of that Shanghai day. Working days: the calendar's
 * deadlineAfter. Calendar days: the Nth day after (the start day never counts); when it falls
 * on a day off, the period ends on the next working day (民法典第二百零三条).
 */
export function limitDeadline(instant: number, days: number, unit: LimitUnit): number {
  if (unit === 'working') return deadlineAfter(instant, days);
  let date = shanghaiDate(instant);
  for (let i = 0; i < days; i++) date = nextDay(date);
  if (!isWorkingDay(date)) return deadlineAfter(shanghaiInstant(date, 12), 1);
  return shanghaiInstant(date, 23, 59, 59, 999);
}

/** Chinese text of a limit, for history and pages: "20个工作日（依据：…）". */
export function limitText(days: number, unit: LimitUnit, basis?: string | null): string {
  return `${days}${unit === 'working' ? '个工作日' : '日（自然日）'}${basis ? `（依据：${basis}）` : ''}`;
}
