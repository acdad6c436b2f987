// The statistics' own table: word counts per Shanghai day, so hot topics over a month
// add up 30 stored days instead of segmenting every text again (src/stats/hot-terms.ts).
import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core';

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

/**
 * Every rating a citizen gave (第二十一条 市民满意度), one narrow row each, written when it is
 * given (src/stats/ratings.ts, from the tickets' `callback`, `spot_check` and `call_rated`
 * changes) with the unit, seat and category the ticket had then: a month's satisfaction is
 * one range of this table, not a join of the history with the tickets.
 */
export const satisfactionRatings = sqliteTable(
  'satisfaction_ratings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    channel: text('channel', { enum: ['callback', 'spot_check', 'ivr'] }).notNull(),
    rating: text('rating', { enum: ['satisfied', 'fair', 'unsatisfied'] }).notNull(),
    ticketId: integer('ticket_id').notNull(),
    /** department | street | center */
    unitKind: text('unit_kind').notNull(),
    unit: text('unit'),
    seatId: text('seat_id'),
    category: text('category'),
  },
  (t) => [index('satisfaction_ratings_at_idx').on(t.at, t.channel, t.rating, t.unitKind, t.unit, t.seatId, t.category)],
);
