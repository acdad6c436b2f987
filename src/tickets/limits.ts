// Statutory or promised limits (第十五条 "法律法规另有规定或承诺时限的除外"): in working days
// through the hotline calendar, or in calendar days. Day counting stays in src/calendar.
import { countDeadline, type Deadline } from '../calendar/working-days.js';

export type LimitUnit = 'working' | 'calendar';
export const LIMIT_UNITS = ['working', 'calendar'] as const;

/**
 * "Within N days" of an instant, the end of that Shanghai day. Working days through the
 * calendar; calendar days: the Nth day after (the start day never counts), and when it falls
 * on a day off, the period ends on the next working day (民法典第二百零三条). A Deadline, so a
 * holiday notice loaded later counts it again.
 */
export function limitDeadline(instant: number, days: number, unit: LimitUnit): Deadline {
  return countDeadline(instant, days, unit);
}

/** Chinese text of a limit, for history and pages: "20个工作日（依据：…）". */
export function limitText(days: number, unit: LimitUnit, basis?: string | null): string {
  return `${days}${unit === 'working' ? '个工作日' : '日（自然日）'}${basis ? `（依据：${basis}）` : ''}`;
}
