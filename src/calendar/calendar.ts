// The working-day calendar: weekends off, except what a year's notice says.
import { badRequest } from '../shared/errors.js';
import { assertIsoDate, datesBetween, isWeekend, nextDay, yearOf } from './dates.js';
import { CalendarDataError, CalendarYearMissingError } from './errors.js';
import type { CalendarYear } from './year-file.js';

/** Why a day is or isn't a working day. */
export type DayReason = 'workday' | 'weekend' | 'holiday' | 'make_up_workday';

export interface DayStatus {
  date: string;
  working: boolean;
  reason: DayReason;
  /** the holiday (放假) the day belongs to, or that a make-up workday (调休上班) pays back */
  holiday: string | null;
}

export interface WorkingCalendar {
  /** years with a data file, ascending */
  years(): number[];
  year(year: number): CalendarYear | undefined;
  /** throws CalendarYearMissingError for a year with no data file */
  dayStatus(date: string): DayStatus;
  isWorkingDay(date: string): boolean;
  /** the Nth working day after `from`; `from` itself never counts; 0 days → `from` */
  addWorkingDays(from: string, days: number): string;
}

type SpecialDay = Omit<DayStatus, 'date'> & { file: number };

export function createCalendar(data: CalendarYear[]): WorkingCalendar {
  const byYear = new Map(data.map((y) => [y.year, y]));
  const special = specialDays(data);

  const dayStatus = (date: string): DayStatus => {
    assertIsoDate(date);
    // A year we have no notice for is unknown, never assumed to be plain weekends.
    if (!byYear.has(yearOf(date))) throw new CalendarYearMissingError(yearOf(date));
    const s = special.get(date);
    if (s) return { date, working: s.working, reason: s.reason, holiday: s.holiday };
    return isWeekend(date)
      ? { date, working: false, reason: 'weekend', holiday: null }
      : { date, working: true, reason: 'workday', holiday: null };
  };

  const isWorkingDay = (date: string) => dayStatus(date).working;

  return {
    years: () => [...byYear.keys()].sort((a, b) => a - b),
    year: (year) => byYear.get(year),
    dayStatus,
    isWorkingDay,
    addWorkingDays(from, days) {
      assertIsoDate(from, 'from');
      if (!Number.isInteger(days) || days < 0) throw badRequest(`days must be a whole number, 0 or more; got ${days}`);
      let date = from;
      for (let left = days; left > 0; ) {
        date = nextDay(date);
        if (isWorkingDay(date)) left--;
      }
      return date;
    },
  };
}

/** Holidays and make-up workdays of every file, by date; two files may not disagree. */
function specialDays(data: CalendarYear[]): Map<string, SpecialDay> {
  const days = new Map<string, SpecialDay>();
  const put = (date: string, day: SpecialDay) => {
    const other = days.get(date);
    if (other && other.file !== day.file) {
      throw new CalendarDataError(`calendar/${other.file}.json and calendar/${day.file}.json both list ${date}`);
    }
    days.set(date, day);
  };
  for (const y of data) {
    for (const h of y.holidays) {
      for (const date of datesBetween(h.from, h.to)) put(date, { working: false, reason: 'holiday', holiday: h.name, file: y.year });
    }
    for (const w of y.makeUpWorkdays) put(w.date, { working: true, reason: 'make_up_workday', holiday: w.for, file: y.year });
  }
  return days;
}
