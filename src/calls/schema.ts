import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { tickets } from '../tickets/schema.js';

/** One row per call into the hotline, ready for KPIs (service level, ASA, AHT). */
export const calls = sqliteTable(
  'calls',
  {
    /** the caller's ARI channel id (or the CDR uniqueid for calls recovered from CDRs) */
    id: text('id').primaryKey(),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    /** ari: the server handled it; cdr: it reached the native fallback queue while the server was down */
    origin: text('origin', { enum: ['ari', 'cdr'] }).notNull().default('ari'),
    source: text('source').notNull().default('phone'),
    callerNumber: text('caller_number'),
    callerName: text('caller_name'),
    dialedNumber: text('dialed_number'),
    startedAt: integer('started_at').notNull(),
    /** when the hotline answered the line (IVR) */
    answeredAt: integer('answered_at'),
    ivrPath: text('ivr_path'),
    category: text('category'),
    subcategory: text('subcategory'),
    queue: text('queue'),
    priority: integer('priority'),
    enqueuedAt: integer('enqueued_at'),
    /** the call's state (calls/call-state.ts), kept in step with every transition */
    state: text('state'),
    /** the street whose seats a street-queue caller waits for */
    street: text('street'),
    /** a transfer whose seat did not answer: served first in its queue */
    headOfQueue: integer('head_of_queue', { mode: 'boolean' }).notNull().default(false),
    /** the seat being offered or talking now, and its leg's channel */
    offeredSeatId: text('offered_seat_id'),
    seatLegId: text('seat_leg_id'),
    offeredAt: integer('offered_at'),
    seatId: text('seat_id'),
    /** when a seat picked up */
    seatAnsweredAt: integer('seat_answered_at'),
    /** when the (last) seat left the talk: the caller may stay on to rate the call */
    talkEndedAt: integer('talk_ended_at'),
    endedAt: integer('ended_at'),
    /** answered | abandoned | voicemail | callback | interrupted */
    outcome: text('outcome'),
    hangupCause: text('hangup_cause'),
    recordingName: text('recording_name'),
    voicemailName: text('voicemail_name'),
    waitSeconds: integer('wait_seconds'),
    talkSeconds: integer('talk_seconds'),
    rating: text('rating'),
  },
  (t) => [index('calls_ticket_idx').on(t.ticketId), index('calls_started_idx').on(t.startedAt)],
);

/**
 * One whisper to an outside number that answered (calls/screening.ts): offered when it
 * answers, then accepted (pressed 1), declined (another key) or missed (no key in time,
 * or it hung up during the whisper). The wallboard's screening figures count these.
 */
export const callScreenings = sqliteTable(
  'call_screenings',
  {
    /** the seat leg's channel: one screening per answered leg */
    legId: text('leg_id').primaryKey(),
    callId: text('call_id').notNull(),
    seatId: text('seat_id').notNull(),
    queue: text('queue'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    /** abandoned: the caller hung up during the whisper (not the seat's miss) */
    outcome: text('outcome', { enum: ['accepted', 'declined', 'missed', 'abandoned'] }),
    /** the key pressed, if any */
    digit: text('digit'),
  },
  (t) => [index('call_screenings_started_idx').on(t.startedAt)],
);
