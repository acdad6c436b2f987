// This feature's tables (drizzle). Re-exported by src/db/tables.ts.
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * What the retention job removed from Asterisk's stored recordings (call recordings and
 * voice messages), one row per recording name: the call row keeps the name it had, so
 * the ticket can say "deleted on … after N days" instead of pretending it never existed.
 */
export const recordingRemovals = sqliteTable(
  'recording_removals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the stored recording's name in Asterisk (calls.recording_name or calls.voicemail_name) */
    name: text('name').notNull(),
    kind: text('kind', { enum: ['call', 'voice_message'] }).notNull(),
    callId: text('call_id').notNull(),
    ticketId: integer('ticket_id').notNull(),
    /** when the call began: what the retention period is counted from */
    callStartedAt: integer('call_started_at').notNull(),
    removedAt: integer('removed_at').notNull(),
    /** removed: deleted now; missing: Asterisk no longer had it (deleted by hand, lost) */
    result: text('result', { enum: ['removed', 'missing'] }).notNull(),
    retentionDays: integer('retention_days').notNull(),
  },
  (t) => [uniqueIndex('recording_removals_name_uq').on(t.name), index('recording_removals_ticket_idx').on(t.ticketId)],
);
