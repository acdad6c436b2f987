import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { NoticeDays } from './calendar.js';
import type { CalendarYear } from './year-file.js';

/**
 * The State Council's holiday notice per year, as loaded: seeded from calendar/<year>.json
 * at first start, replaced by an admin through PUT /api/calendar/years/:year. A year with
 * no row is provisional (computed by the statutory rule).
 */
export const calendarYears = sqliteTable('calendar_years', {
  year: integer('year').primaryKey(),
  /** the days off and 调休 workdays, each with the holiday it belongs to */
  days: text('days', { mode: 'json' }).$type<NoticeDays>().notNull(),
  /** the notice in the year-file shape (ranges, notice text), for GET /api/calendar/:year */
  document: text('document', { mode: 'json' }).$type<CalendarYear>().notNull(),
  /** a username, or calendar/<year>.json for a seeded year */
  loadedBy: text('loaded_by').notNull(),
  loadedAt: integer('loaded_at').notNull(),
});
