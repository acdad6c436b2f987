// The statistics' own table: word counts per Shanghai day, so hot topics over a month
// add up 30 stored days instead of segmenting every text again (src/stats/hot-terms.ts).
import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';

/** One row per day × origin (ticket | online) × term; a day with a row '' is done (it may have no terms). */
export const hotTermDays = sqliteTable(
  'hot_term_days',
  {
    day: text('day').notNull(),
    origin: text('origin', { enum: ['ticket', 'online'] }).notNull(),
    term: text('term').notNull(),
    /** texts (tickets or questions) of the day the term occurs in */
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.origin, t.term] })],
);
