// The hotline's working-day calendar, for deadlines and opening hours.
// "Within N working days" follows 期间开始之日不计算在内: the start day never counts.
//
// The calendar in force is process-wide, like the clock: the app installs the one built
// from its database's notices at start and again when an admin loads a notice
// (CalendarService). Until then it is the one from calendar/*.json.
import { shanghaiDate, shanghaiInstant } from '../shared/time.js';
import { nextDay } from './dates.js';
import { badRequest } from '../shared/errors.js';
import { createCalendar, type WorkingCalendar } from './calendar.js';
import { fileToNotice, loadCalendarYears } from './year-file.js';

let current: WorkingCalendar | undefined;

/** The calendar in force. */
export function hotlineCalendar(): WorkingCalendar {
  current ??= createCalendar(loadCalendarYears().map(fileToNotice));
  return current;
}

/** Puts a calendar in force (CalendarService, after reading or changing the notices). */
export function installCalendar(calendar: WorkingCalendar): void {
  current = calendar;
}

/** Is YYYY-MM-DD a working day in Shanghai (holidays and make-up days included)? */
export function isWorkingDay(date: string): boolean {
  return hotlineCalendar().isWorkingDay(date);
}

/** The Nth working day after `from` (the start day never counts); 0 days gives `from`. */
export function addWorkingDays(from: string, days: number): string {
  return hotlineCalendar().addWorkingDays(from, days);
}

/**
 * A deadline and what it was counted from, so it can be counted again when a notice
 * changes the days it spans. `provisional`: a day counted lies in a year with no notice.
 */
export interface Deadline {
  at: number;
  startAt: number;
  days: number;
  /** working days (the default), or calendar days (a statutory limit such as 60日) */
  unit?: DayUnit;
  provisional: boolean;
}

export type DayUnit = 'working' | 'calendar';

export const isDeadline = (v: unknown): v is Deadline => typeof v === 'object' && v !== null && 'startAt' in v && 'at' in v;

/** "Within N working days" of an instant: the end (23:59:59.999 Shanghai) of the Nth working day after it. */
export function workingDeadline(startAt: number, days: number, calendar: WorkingCalendar = hotlineCalendar()): Deadline {
  if (!Number.isFinite(startAt)) throw badRequest(`须为毫秒时间戳，收到 ${startAt}`);
  const walked = calendar.walkWorkingDays(shanghaiDate(startAt), days);
  return { at: shanghaiInstant(walked.date, 23, 59, 59, 999), startAt, days, provisional: walked.provisional };
}

/**
 * "Within N calendar days": the end of the Nth day after the start; when that day is off,
 * the period ends with the next working day (民法典第二百零三条).
 */
export function calendarDayDeadline(startAt: number, days: number, calendar: WorkingCalendar = hotlineCalendar()): Deadline {
  if (!Number.isFinite(startAt)) throw badRequest(`须为毫秒时间戳，收到 ${startAt}`);
  let date = shanghaiDate(startAt);
  for (let i = 0; i < days; i++) date = nextDay(date);
  let provisional = calendar.dayStatus(date).provisional;
  if (!calendar.isWorkingDay(date)) {
    const walked = calendar.walkWorkingDays(date, 1);
    date = walked.date;
    provisional ||= walked.provisional;
  }
  return { at: shanghaiInstant(date, 23, 59, 59, 999), startAt, days, unit: 'calendar', provisional };
}

/** A deadline in either unit, as counted again when a notice changes the days it spans. */
export function countDeadline(startAt: number, days: number, unit: DayUnit = 'working', calendar: WorkingCalendar = hotlineCalendar()): Deadline {
  return unit === 'calendar' ? calendarDayDeadline(startAt, days, calendar) : workingDeadline(startAt, days, calendar);
}

/** The instant alone, where nothing needs to count it again. */
export function deadlineAfter(instant: number, days: number): number {
  return workingDeadline(instant, days).at;
}
