// Alerts a supervisor must see and acknowledge (第十七条 and the review of 第十四条).
// Re-exported by src/db/tables.ts. Times are epoch milliseconds (UTC).
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { tickets } from '../tickets/schema.js';

/** What an alert is about; the pages word each one (web/js/common.js). */
export const ALERT_CODES = [
  /** an emergency call (IVR 9) */
  'emergency_call',
  /** a ticket classified as an emergency (应急件) */
  'emergency_ticket',
  /** a draft reply waiting for a supervisor's review (第十四条) */
  'draft_review',
  /** 12345 urged one of its orders (催办) */
  'urged',
  /** the center's own 2 working days to route a ticket passed (第十五条) */
  'routing_overdue',
  /** the bureau office (市局办公室) has not answered an emergency by its deadline */
  'bureau_office_overdue',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code', { enum: ALERT_CODES }).notNull(),
    ticketId: integer('ticket_id').references(() => tickets.id),
    callId: text('call_id'),
    /** a line for people (Chinese) */
    summary: text('summary').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    /** alerts raised once per ticket (e.g. routing_overdue:<ticketId>); null for the others */
    dedupeKey: text('dedupe_key'),
    createdAt: integer('created_at').notNull(),
    /** times it was pushed to the supervisors' sockets (1 when raised) */
    pushCount: integer('push_count').notNull().default(1),
    lastPushedAt: integer('last_pushed_at').notNull(),
    /** when it was e-mailed to the duty supervisors, unacknowledged past the limit */
    emailedAt: integer('emailed_at'),
    acknowledgedAt: integer('acknowledged_at'),
    /** the supervisor's username, or system:<part> when the cause went away (a draft reviewed) */
    acknowledgedBy: text('acknowledged_by'),
    ackNote: text('ack_note'),
  },
  (t) => [
    index('alerts_open_idx').on(t.acknowledgedAt, t.lastPushedAt),
    index('alerts_ticket_idx').on(t.ticketId),
    uniqueIndex('alerts_dedupe_uq').on(t.dedupeKey),
  ],
);
