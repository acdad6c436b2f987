import type { QueueTarget } from './callflow-config.js';
import type { CallState } from './call-state.js';
import type { IvrState } from './ivr.js';

/** Where a caller waits: kept while a seat is offered or talking, for a return to the queue. */
export interface WaitFacts {
  queue: string;
  /** for the street queue: whose seats */
  street: string | null;
  priority: number;
  /** when the caller first joined any queue (overflow and transfers keep it) */
  since: number;
  /** a transfer whose seat did not answer: served before everyone else in the queue */
  head: boolean;
}

/** The seat leg being dialled, ringing or talking. */
export interface SeatLeg {
  channelId: string;
  seatId: string;
  /** what Asterisk dials (an outside number has no seat row) */
  dial: string;
  /** put through by an operator: a miss puts the caller at the head of the queue */
  transfer: boolean;
}

/** What the server keeps about a citizen's call that is in its Stasis app. */
export interface LiveCall {
  channelId: string;
  ticketId: number;
  callerNumber: string;
  source: 'phone' | '12345';
  state: CallState;
  ivr: IvrState;
  target: QueueTarget | null;
  wait: WaitFacts | null;
  leg: SeatLeg | null;
  /** seats that missed this caller recently: not rung again for a while */
  missedBy: Map<string, number>;
  /** why a leaving call ends the way it does */
  outcome: 'callback' | 'voicemail' | null;
  /** the message being recorded after hours */
  voicemail: string | null;
}

/** Read through a function: an await may have let the caller hang up meanwhile. */
export const ended = (call: LiveCall) => call.state === 'ended';

/**
 * What it takes to rebuild a call after a restart, kept on the caller's channel
 * (channel variable HOTLINE_CALL, written before the change it describes) and on
 * the call row.
 */
export interface CallSnapshot {
  state: CallState;
  queue: string | null;
  priority: number | null;
  since: number | null;
  street: string | null;
  category: string | null;
  subcategory: string | null;
  head: boolean;
  /** the seat being offered or talking, and its leg */
  seat: string | null;
  leg: string | null;
  voicemail: string | null;
}

/**
 * A ringing call is kept as offering: resync treats the two alike (the seat leg is there
 * or not), and the ring is not worth a REST request per call.
 */
const KEPT_AS: Partial<Record<CallState, CallState>> = { ringing: 'offering' };

/**
 * States kept on the call row only, not in HOTLINE_CALL. An offer and a talk (seat and
 * leg) are in the row, committed before the request that makes them leaves, and a talk
 * is also Asterisk's own: caller and leg in one talk bridge (talk-bridges.ts). Resync
 * reads them from the row (resync.ts rowIsNewer). Writing them to the channel too was
 * two REST requests a call, and the connect waited for one of them.
 */
export const KEPT_ON_ROW: readonly CallState[] = ['ivr', 'offering', 'ringing', 'connected', 'ended'];

export function snapshotOf(call: LiveCall): CallSnapshot {
  return {
    state: KEPT_AS[call.state] ?? call.state,
    queue: call.wait?.queue ?? null,
    priority: call.wait?.priority ?? null,
    since: call.wait?.since ?? null,
    street: call.wait?.street ?? null,
    category: call.target?.category ?? null,
    subcategory: call.target?.subcategory ?? null,
    head: call.wait?.head ?? false,
    seat: call.leg?.seatId ?? null,
    leg: call.leg?.channelId ?? null,
    voicemail: call.voicemail,
  };
}
