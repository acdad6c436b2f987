import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { tickets } from '../tickets/schema.js';

// Times are epoch milliseconds (UTC). Effective dates are Shanghai calendar days (YYYY-MM-DD).
// The full-text index (kb_fts, FTS5) is created by a custom migration; see fts.sql.

export const KB_TYPES = ['policy', 'interpretation', 'qa', 'guide', 'service', 'agency'] as const;
/** the five consultation areas of 第十三条, then community life and other */
export const KB_CATEGORIES = ['social_assistance', 'social_welfare', 'special_care', 'marriage', 'adoption', 'community_life', 'other'] as const;
export const KB_STATUSES = ['draft', 'submitted', 'published', 'withdrawn'] as const;

export type KbType = (typeof KB_TYPES)[number];
export type KbCategory = (typeof KB_CATEGORIES)[number];
export type KbStatus = (typeof KB_STATUSES)[number];

/** A knowledge-base entry as it stands now; its past lives in kb_entry_versions. */
export const kbEntries = sqliteTable(
  'kb_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** a stable outside key (demo seed, a department's own numbering); unique when set */
    ref: text('ref'),
    type: text('type', { enum: KB_TYPES }).notNull(),
    category: text('category', { enum: KB_CATEGORIES }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull(),
    /** 相似问法: the ways citizens ask for this entry, matched like the title */
    questions: text('questions', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** first day in effect; null: since always */
    effectiveFrom: text('effective_from'),
    /** last day in effect; null: until withdrawn */
    effectiveUntil: text('effective_until'),
    sourceDepartment: text('source_department'),
    status: text('status', { enum: KB_STATUSES }).notNull().default('draft'),
    /** the number of the latest row in kb_entry_versions */
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    publishedAt: integer('published_at'),
  },
  (t) => [
    uniqueIndex('kb_entries_ref_uq').on(t.ref),
    index('kb_entries_status_idx').on(t.status),
    index('kb_entries_department_idx').on(t.sourceDepartment),
  ],
);

/** Every edit of an entry's content is a new row: the entry's full text as of that version. */
export const kbEntryVersions = sqliteTable(
  'kb_entry_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id').notNull().references(() => kbEntries.id),
    version: integer('version').notNull(),
    type: text('type', { enum: KB_TYPES }).notNull(),
    category: text('category', { enum: KB_CATEGORIES }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull(),
    questions: text('questions', { mode: 'json' }).$type<string[]>().notNull().default([]),
    effectiveFrom: text('effective_from'),
    effectiveUntil: text('effective_until'),
    sourceDepartment: text('source_department'),
    editedBy: text('edited_by').notNull(),
    editedByRole: text('edited_by_role'),
    editedAt: integer('edited_at').notNull(),
    note: text('note'),
  },
  (t) => [uniqueIndex('kb_entry_versions_entry_version_uq').on(t.entryId, t.version)],
);

/** Append-only: who moved an entry between states, when and why. */
export const kbEntryEvents = sqliteTable(
  'kb_entry_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id').notNull().references(() => kbEntries.id),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    version: integer('version').notNull(),
    reason: text('reason'),
  },
  (t) => [index('kb_entry_events_entry_idx').on(t.entryId)],
);

/**
 * A group of terms that mean one thing (最低生活保障 ↔ 低保 ↔ 吃低保): the first is the
 * formal term, the others (colloquial, Shanghai usage, common typos) are read as it, in
 * questions and entries alike.
 */
export const kbSynonyms = sqliteTable('kb_synonyms', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  terms: text('terms', { mode: 'json' }).$type<string[]>().notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Which entries were used to answer which ticket; the basis of "which entries answer most". */
export const kbTicketLinks = sqliteTable(
  'kb_ticket_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    entryId: integer('entry_id').notNull().references(() => kbEntries.id),
    linkedBy: text('linked_by').notNull(),
    linkedAt: integer('linked_at').notNull(),
  },
  (t) => [uniqueIndex('kb_ticket_links_uq').on(t.ticketId, t.entryId), index('kb_ticket_links_entry_idx').on(t.entryId)],
);

export const ONLINE_OUTCOMES = ['answered', 'suggested', 'unanswered', 'out_of_scope'] as const;
export type OnlineOutcome = (typeof ONLINE_OUTCOMES)[number];

/** Every question asked online and what answering made of it: the gaps, and the count of out-of-scope questions. */
export const kbOnlineQuestions = sqliteTable(
  'kb_online_questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    question: text('question').notNull(),
    askedAt: integer('asked_at').notNull(),
    outcome: text('outcome', { enum: ONLINE_OUTCOMES }).notNull(),
    confidence: integer('confidence_pct').notNull(),
    /** the entry given as the answer, or the first offered */
    entryId: integer('entry_id').references(() => kbEntries.id),
    /** the ticket the citizen chose to leave, if any */
    ticketId: integer('ticket_id').references(() => tickets.id),
    /** an operator said which entry answers it */
    linkedEntryId: integer('linked_entry_id').references(() => kbEntries.id),
    linkedBy: text('linked_by'),
    /** every entry offered, best first (the answer and the choices) */
    entryIds: text('entry_ids', { mode: 'json' }).$type<number[]>().notNull().default([]),
  },
  // by outcome for the gaps; by time for the statistics of a period (src/stats/online.ts)
  (t) => [index('kb_online_questions_outcome_idx').on(t.outcome, t.askedAt), index('kb_online_questions_asked_idx').on(t.askedAt)],
);

export const PHRASING_STATUSES = ['proposed', 'accepted', 'rejected'] as const;
export type PhrasingStatus = (typeof PHRASING_STATUSES)[number];

/** A citizen's question proposed as a new 相似问法 of an entry, waiting for the KB review. */
export const kbPhrasingProposals = sqliteTable(
  'kb_phrasing_proposals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id').notNull().references(() => kbEntries.id),
    question: text('question').notNull(),
    /** where it came from: a ticket linked to the entry, or an online question */
    ticketId: integer('ticket_id').references(() => tickets.id),
    onlineQuestionId: integer('online_question_id').references(() => kbOnlineQuestions.id),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: integer('proposed_at').notNull(),
    status: text('status', { enum: PHRASING_STATUSES }).notNull().default('proposed'),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    /** the entry version that took the phrasing in */
    acceptedVersion: integer('accepted_version'),
  },
  (t) => [uniqueIndex('kb_phrasing_proposals_uq').on(t.entryId, t.question), index('kb_phrasing_proposals_status_idx').on(t.status)],
);
