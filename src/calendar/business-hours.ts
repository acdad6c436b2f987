// When the hotline's seats are staffed: BUSINESS_HOURS on working days.
// The IVR plays the closed message (and takes a voice message) outside them.
import { shanghaiDate, shanghaiMinuteOfDay } from '../shared/time.js';
import { isWorkingDay } from './working-days.js';

/** Opening hours as minutes since Shanghai midnight: open from `opens` up to, not including, `closes`. */
export interface BusinessHours {
  opens: number;
  closes: number;
  /** 'always': staffed round the clock, holidays included */
  always?: boolean;
}

const HOURS_SHAPE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** '09:00-17:00' → { opens: 540, closes: 1020 }; '00:00-24:00' is round the clock. */
export function parseBusinessHours(spec: string): BusinessHours {
  if (spec.trim() === 'always') return { opens: 0, closes: 24 * 60, always: true };
  const m = HOURS_SHAPE.exec(spec.trim());
  const minute = (h: string, mm: string) => (Number(mm) < 60 && Number(h) <= 24 ? Number(h) * 60 + Number(mm) : NaN);
  const opens = m ? minute(m[1], m[2]) : NaN;
  const closes = m ? minute(m[3], m[4]) : NaN;
  // Overnight hours (22:00-06:00) are not supported: they would need the next day's calendar.
  if (!(opens >= 0 && closes <= 24 * 60 && opens < closes)) {
    throw new Error(`BUSINESS_HOURS must look like 09:00-17:00 (opening before closing, 00:00-24:00 for all day on working days, or 'always'), got "${spec}"`);
  }
  return { opens, closes };
}

/**
 * Is the hotline open at this instant: a working day (holidays off, make-up
 * days on) and within the hours? Throws CalendarYearMissingError for a year
 * with no calendar file; the caller decides what a caller then hears.
 */
export function isOpen(instantMs: number, hours: BusinessHours | string): boolean {
  const { opens, closes, always } = typeof hours === 'string' ? parseBusinessHours(hours) : hours;
  if (always) return true;
  const minute = shanghaiMinuteOfDay(instantMs);
  return minute >= opens && minute < closes && isWorkingDay(shanghaiDate(instantMs));
}
