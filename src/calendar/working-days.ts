// The hotline's working-day calendar (calendar/<year>.json), for deadlines and opening hours.
// "Within N working days" follows 期间开始之日不计算在内: the start day never counts.
import { shanghaiDate, shanghaiInstant } from '../shared/time.js';
import { badRequest } from '../shared/errors.js';
import { createCalendar, type WorkingCalendar } from './calendar.js';
import { loadCalendarYears } from './year-file.js';

let loaded: WorkingCalendar | undefined;

/** The calendar from calendar/*.json, read once; a bad file throws CalendarDataError. */
export function hotlineCalendar(): WorkingCalendar {
  loaded ??= createCalendar(loadCalendarYears());
  return loaded;
}

/** Is YYYY-MM-DD a working day in Shanghai (holidays and make-up days included)? */
export function isWorkingDay(date: string): boolean {
  return hotlineCalendar().isWorkingDay(date);
}

/**
 * The Nth working day after `from` (the start day never counts). 0 days gives
 * `from` itself: "within 0 working days" means today. Throws
 * CalendarYearMissingError (422) when the walk reaches a year with no data.
 */
export function addWorkingDays(from: string, days: number): string {
  return hotlineCalendar().addWorkingDays(from, days);
}

/** "Within N working days" of an instant: the end (23:59:59.999 Shanghai) of the Nth working day after it. */
export function deadlineAfter(instant: number, days: number): number {
  if (!Number.isFinite(instant)) throw badRequest(`expected an instant in milliseconds, got ${instant}`);
  return shanghaiInstant(addWorkingDays(shanghaiDate(instant), days), 23, 59, 59, 999);
}
