// Every question asked through online answering (第十二条), answered or not, so the
// statistics count them (GET /api/stats/online). Kept apart from the knowledge base.
import { sqliteTable, text, integer, real, index } from 'drizzle-orm/sqlite-core';

export const onlineQuestions = sqliteTable(
  'online_questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    question: text('question').notNull(),
    answered: integer('answered', { mode: 'boolean' }).notNull(),
    confidence: real('confidence'),
    /** ids of the entries given as the answer, JSON array */
    entryIds: text('entry_ids', { mode: 'json' }).$type<number[]>(),
    /** the ticket opened when nothing answered it */
    ticketId: integer('ticket_id'),
  },
  (t) => [index('online_questions_at_idx').on(t.at)],
);
