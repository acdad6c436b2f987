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
  /** a person's words for not_ready (小休, 培训…); null when the server set the state */
  stateReason: text('state_reason'),
  /** why the seat is in its state: manual, or missed_in_row (the server took it off the queue) */
  reasonCode: text('reason_code', { enum: ['manual', 'missed_in_row'] }),
  /** asked for while on a call: the state the seat takes when the call is over */
  afterCall: text('after_call', { enum: ['not_ready'] }),
  afterCallReason: text('after_call_reason'),
  stateSince: integer('state_since').notNull(),
  lastCallEndedAt: integer('last_call_ended_at'),
  missedInRow: integer('missed_in_row').notNull().default(0),
  /** the far end hears a whisper and must press 1 before the caller is put through (on by default for street seats) */
  screening: integer('screening', { mode: 'boolean' }).notNull().default(false),
  /** the PIN for the seat-state phone line (scrypt, like passwords); null: no phone line */
  pinHash: text('pin_hash'),
});
