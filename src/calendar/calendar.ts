// The working-day calendar: weekends off, except what a year's notice says; a year
// with no notice yet is computed by the statutory rule and marked provisional.
import { badRequest } from '../shared/errors.js';
import { assertIsoDate, isWeekend, nextDay, yearOf } from './dates.js';
import { CalendarDataError, CalendarYearMissingError } from './errors.js';
import { provisionalHolidays, PROVISIONAL_RANGE } from './provisional.js';

/** Why a day is or isn't a working day. */
export type DayReason = 'workday' | 'weekend' | 'holiday' | 'make_up_workday';

export interface DayStatus {
  date: string;
  working: boolean;
  reason: DayReason;
  /** the holiday (放假) the day belongs to, or that a make-up workday (调休上班) pays back */
  holiday: string | null;
  /** true when the day's year has no State Council notice loaded: the statutory rule decided */
  provisional: boolean;
}

/** One year's notice as the calendar uses it: its days off and its 调休 make-up workdays. */
export interface NoticeDays {
  year: number;
  holidays: Array<{ date: string; name: string | null }>;
  workdays: Array<{ date: string; name: string | null }>;
}

export interface WalkResult {
  date: string;
  /** some day counted lies in a provisional year */
  provisional: boolean;
}

export interface WorkingCalendar {
  /** years with a notice, ascending */
  years(): number[];
  hasNotice(year: number): boolean;
  /** throws CalendarYearMissingError for a year neither a notice nor the rule covers */
  dayStatus(date: string): DayStatus;
  isWorkingDay(date: string): boolean;
  /** the Nth working day after `from`; `from` itself never counts; 0 days → `from` */
  addWorkingDays(from: string, days: number): string;
  /** the same, and whether a provisional day was counted on the way */
  walkWorkingDays(from: string, days: number): WalkResult;
}

type SpecialDay = Omit<DayStatus, 'date' | 'provisional'> & { year: number };

export function createCalendar(notices: NoticeDays[]): WorkingCalendar {
  const official = new Set(notices.map((n) => n.year));
  const special = specialDays(notices);
  const ruleYears = new Map<number, Map<string, SpecialDay>>();

  const byRule = (year: number): Map<string, SpecialDay> => {
    let days = ruleYears.get(year);
    if (!days) {
      days = new Map();
      for (const h of provisionalHolidays(year)) {
        for (const d of [...h.days, ...h.madeUp]) days.set(d, { working: false, reason: 'holiday', holiday: h.name, year });
      }
      ruleYears.set(year, days);
    }
    return days;
  };

  const dayStatus = (date: string): DayStatus => {
    assertIsoDate(date);
    const year = yearOf(date);
    const provisional = !official.has(year);
    if (provisional && (year < PROVISIONAL_RANGE.from || year > PROVISIONAL_RANGE.to)) throw new CalendarYearMissingError(year);
    // a notice may reach into the December before its year (a New Year holiday); it wins there
    const s = special.get(date) ?? (provisional ? byRule(year).get(date) : undefined);
    if (s) return { date, working: s.working, reason: s.reason, holiday: s.holiday, provisional };
    return isWeekend(date)
      ? { date, working: false, reason: 'weekend', holiday: null, provisional }
      : { date, working: true, reason: 'workday', holiday: null, provisional };
  };

  // every ticket opened counts its routing deadline from today: the same walk all day
  const walked = new Map<string, WalkResult>();
  const walkWorkingDays = (from: string, days: number): WalkResult => {
    const key = `${from} ${days}`;
    const known = walked.get(key);
    if (known) return { ...known };
    assertIsoDate(from, 'from');
    if (!Number.isInteger(days) || days < 0) throw badRequest(`days 必须是 0 或正整数，收到 ${days}`);
    let date = from;
    let provisional = false;
    for (let left = days; left > 0; ) {
      date = nextDay(date);
      const s = dayStatus(date);
      provisional ||= s.provisional;
      if (s.working) left--;
    }
    if (walked.size >= 1000) walked.clear();
    walked.set(key, { date, provisional });
    return { date, provisional };
  };

  return {
    years: () => [...official].sort((a, b) => a - b),
    hasNotice: (year) => official.has(year),
    dayStatus,
    isWorkingDay: (date) => dayStatus(date).working,
    addWorkingDays: (from, days) => walkWorkingDays(from, days).date,
    walkWorkingDays,
  };
}

/** Holidays and make-up workdays of every notice, by date; two notices may not disagree. */
function specialDays(notices: NoticeDays[]): Map<string, SpecialDay> {
  const days = new Map<string, SpecialDay>();
  const put = (date: string, day: SpecialDay) => {
    const other = days.get(date);
    if (other && other.year !== day.year) throw new CalendarDataError(`the ${other.year} and ${day.year} notices both list ${date}`);
    days.set(date, day);
  };
  for (const n of notices) {
    for (const h of n.holidays) put(h.date, { working: false, reason: 'holiday', holiday: h.name, year: n.year });
    for (const w of n.workdays) put(w.date, { working: true, reason: 'make_up_workday', holiday: w.name, year: n.year });
  }
  return days;
}
