import { HttpError } from '../shared/errors.js';

/**
 * A deadline or working-day question reached a year with no calendar file.
 * We never guess a year's holidays, so the request is refused (422) until
 * someone adds calendar/<year>.json from the State Council notice.
 */
export class CalendarYearMissingError extends HttpError {
  constructor(readonly year: number) {
    super(422, 'calendar_year_missing', `没有 ${year} 年的工作日历：请按国务院节假日安排通知添加 calendar/${year}.json（no working-day calendar for ${year}）`);
    this.name = 'CalendarYearMissingError';
  }
}

/** A calendar data file is malformed; the server refuses to start on it. */
export class CalendarDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarDataError';
  }
}
