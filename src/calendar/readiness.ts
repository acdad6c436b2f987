// /ready lists the years the calendar cannot answer for yet; it never fails over them.
import { shanghaiDate } from '../shared/time.js';
import type { WorkingCalendar } from './calendar.js';

/** Warnings for this year and next (Shanghai) when their calendar file is missing. */
export function missingYearWarnings(calendar: WorkingCalendar, nowMs: number): string[] {
  const thisYear = Number(shanghaiDate(nowMs).slice(0, 4));
  return [thisYear, thisYear + 1]
    .filter((year) => !calendar.year(year))
    .map((year) => `calendar: no data for ${year} (add calendar/${year}.json from the State Council holiday notice); deadlines reaching ${year} are refused`);
}
