// Mail the hotline sends (replies to e-mail tickets, alerts to duty supervisors), kept
// until the relay takes it. Re-exported by src/db/tables.ts. Times are epoch ms (UTC).
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { tickets } from '../tickets/schema.js';

export const MAIL_PURPOSES = ['reply', 'alert'] as const;
export type MailPurpose = (typeof MAIL_PURPOSES)[number];

export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    purpose: text('purpose', { enum: MAIL_PURPOSES }).notNull(),
    /** the ticket it answers or alerts about */
    ticketId: integer('ticket_id').references(() => tickets.id),
    alertId: integer('alert_id'),
    /** comma-separated addresses */
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** our Message-ID, angle brackets included; fixed when queued so every retry is the same mail */
    messageId: text('message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    /** space-separated, oldest first */
    references: text('references'),
    replyTo: text('reply_to'),
    createdAt: integer('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
    /** given up after the last attempt */
    failedAt: integer('failed_at'),
  },
  (t) => [uniqueIndex('mail_outbox_message_id_uq').on(t.messageId), index('mail_outbox_pending_idx').on(t.sentAt, t.failedAt, t.nextAttemptAt), index('mail_outbox_ticket_idx').on(t.ticketId)],
);
