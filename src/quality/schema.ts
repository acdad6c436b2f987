// This feature's tables (drizzle). Re-exported by src/db/tables.ts.
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export interface SheetItem {
  /** a stable code for programs, e.g. service_language */
  code: string;
  /** what a person reads, e.g. 服务用语 */
  label: string;
  /** the most points this item gives */
  points: number;
  description?: string;
}

export interface ItemScore {
  code: string;
  points: number;
  comment?: string | null;
}

/** The score sheet (质检评分表) as data: each version kept, the newest one active. */
export const qualitySheets = sqliteTable('quality_sheets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  items: text('items', { mode: 'json' }).$type<SheetItem[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

/** The day's draw of answered calls per seat for quality inspection (质检抽样). */
export const qualitySamples = sqliteTable(
  'quality_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the Shanghai day the call was answered */
    day: text('day').notNull(),
    callId: text('call_id').notNull(),
    ticketId: integer('ticket_id').notNull(),
    seatId: text('seat_id').notNull(),
    /** position in the seat's deterministic draw of the day (0 first) */
    rank: integer('rank').notNull(),
    /** answered calls the seat had that day */
    population: integer('population').notNull(),
    drawnAt: integer('drawn_at').notNull(),
  },
  (t) => [uniqueIndex('quality_samples_call_uq').on(t.callId), index('quality_samples_day_seat_idx').on(t.day, t.seatId), index('quality_samples_seat_idx').on(t.seatId, t.day)],
);

/** A scored call: the sheet it was scored on, the points per item, comments. Scoring again replaces it. */
export const qualityScores = sqliteTable(
  'quality_scores',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sampleId: integer('sample_id').notNull().references(() => qualitySamples.id),
    callId: text('call_id').notNull(),
    seatId: text('seat_id').notNull(),
    /** YYYY-MM of the call's day, for the monthly statistics */
    month: text('month').notNull(),
    sheetId: integer('sheet_id').notNull().references(() => qualitySheets.id),
    items: text('items', { mode: 'json' }).$type<ItemScore[]>().notNull(),
    total: integer('total').notNull(),
    maxTotal: integer('max_total').notNull(),
    comment: text('comment'),
    scoredBy: text('scored_by').notNull(),
    scoredByUserId: integer('scored_by_user_id'),
    scoredAt: integer('scored_at').notNull(),
  },
  (t) => [uniqueIndex('quality_scores_sample_uq').on(t.sampleId), index('quality_scores_seat_month_idx').on(t.seatId, t.month)],
);
