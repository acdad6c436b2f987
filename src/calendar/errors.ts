import { HttpError } from '../shared/errors.js';

/**
 * A deadline or working-day question reached a year with no calendar file.
 * We never guess a year's holidays, so the request is refused (422) until
 * someone adds calendar/<year>.json from the State Council notice.
 */
export class CalendarYearMissingError extends HttpError {
  constructor(readonly year: number) {
    super(422, 'calendar_year_missing', `no working-day calendar for ${year}: add calendar/${year}.json from the State Council holiday notice`);
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
