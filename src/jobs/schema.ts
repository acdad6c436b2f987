// This feature's tables (drizzle). Re-exported by src/db/tables.ts.
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { tickets } from '../tickets/schema.js';

/** The last period each scheduled job completed, so a run missed while down is caught up. */
export const jobRuns = sqliteTable('job_runs', {
  job: text('job').primaryKey(),
  /** daily jobs: the Shanghai day (YYYY-MM-DD) last done; the sweep: the ISO instant it ran for */
  lastPeriod: text('last_period').notNull(),
  lastRunAt: integer('last_run_at').notNull(),
  lastResult: text('last_result', { mode: 'json' }),
});

/**
 * Daily report: tickets created on `day` (Shanghai) counted by kind × category ×
 * status × source, status as it stood at the end of that day. The statistics module reads it.
 */
export const dailyTicketReport = sqliteTable(
  'daily_ticket_report',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    day: text('day').notNull(),
    kind: text('kind'),
    category: text('category'),
    status: text('status').notNull(),
    source: text('source').notNull(),
    count: integer('count').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('daily_ticket_report_day_idx').on(t.day)],
);

/** Spot-check callbacks (抽查回访): which closed tickets were drawn for a callback, per day. */
export const callbackSamples = sqliteTable(
  'callback_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the Shanghai day the tickets were closed */
    day: text('day').notNull(),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    /** position in the day's deterministic draw (0 first) */
    rank: integer('rank').notNull(),
    /** how many closed tickets the day had to draw from */
    population: integer('population').notNull(),
    sampledAt: integer('sampled_at').notNull(),
  },
  (t) => [uniqueIndex('callback_samples_uq').on(t.day, t.ticketId)],
);
