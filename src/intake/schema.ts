// Intake besides calls: e-mail and 12345's transferred orders, and what goes back to 12345.
// Re-exported by src/db/tables.ts. Times are epoch milliseconds (UTC).
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ticketEvents, tickets } from '../tickets/schema.js';

/** Every citizen mail taken in, so replies thread into the ticket and a re-sent mail is not taken twice. */
export const mailMessages = sqliteTable(
  'mail_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the Message-ID header, angle brackets included, as mailparser gives it */
    messageId: text('message_id').notNull(),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    fromAddress: text('from_address'),
    subject: text('subject'),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [uniqueIndex('mail_messages_message_id_uq').on(t.messageId), index('mail_messages_ticket_idx').on(t.ticketId)],
);

/** Files that came with a ticket (today: e-mail attachments), kept under FILES_DIR by their sha256. */
export const ticketAttachments = sqliteTable(
  'ticket_attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    /** the mail it came in, if any */
    mailMessageId: integer('mail_message_id').references(() => mailMessages.id),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** relative to FILES_DIR */
    storedPath: text('stored_path').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('ticket_attachments_ticket_idx').on(t.ticketId)],
);

/**
 * Status updates and returns owed to 12345, one row per ticket event, kept until 12345
 * acknowledges it (2xx). Delivered oldest first per ticket; the body is stored as sent
 * so every retry carries the same bytes, signature and idempotency key.
 */
export const outbox12345 = sqliteTable(
  'outbox_12345',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the idempotency key 12345 sees (header Idempotency-Key and body.messageId) */
    messageId: text('message_id').notNull(),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    /** the ticket event it reports; unique so an event is queued once */
    eventId: integer('event_id').references(() => ticketEvents.id),
    kind: text('kind', { enum: ['status', 'return'] }).notNull(),
    /** the JSON body, exactly as POSTed */
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    uniqueIndex('outbox_12345_message_id_uq').on(t.messageId),
    uniqueIndex('outbox_12345_event_uq').on(t.eventId),
    index('outbox_12345_pending_idx').on(t.deliveredAt, t.ticketId, t.id),
  ],
);
