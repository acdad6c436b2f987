import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** A seat: a center operator's phone or a street/town remote seat. */
export const seats = sqliteTable('seats', {
  /** a center seat's id is its PJSIP endpoint name (1001…) */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['center', 'street'] }).notNull(),
  /** what Asterisk dials: PJSIP/1001, or PJSIP/<number>@street-gw for an outside number */
  dial: text('dial').notNull(),
  street: text('street'),
  district: text('district'),
  skills: text('skills', { mode: 'json' }).$type<string[]>().notNull().default([]),
  state: text('state').notNull().default('logged_out'),
  stateReason: text('state_reason'),
  stateSince: integer('state_since').notNull(),
  lastCallEndedAt: integer('last_call_ended_at'),
  missedInRow: integer('missed_in_row').notNull().default(0),
});
