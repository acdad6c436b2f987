// The life of a citizen's call leg in the app, as data (like tickets/lifecycle.ts), and
// one pure function that says where an event takes a call or why it may not. The call
// service only ever changes a call's state through decide(); nothing else stands for a
// state (no flag says "ringing" or "offering a callback").

export const CALL_STATES = [
  /** in the voice menu */
  'ivr',
  /** waiting in a queue (in the holding bridge) for a seat */
  'queued',
  /** a seat has been chosen and is being dialled */
  'offering',
  /** Asterisk has the seat's leg: it rings */
  'ringing',
  /** an outside number answered: it hears the whisper and must press 1; the caller still hears hold music */
  'screening',
  /** caller and seat talk, bridged and recorded */
  'connected',
  /** the seat left; the caller is asked to rate the call */
  'survey',
  /** after hours: the caller leaves a message */
  'voicemail',
  /** waited too long: offered a callback (press 1), still waiting for a seat */
  'callback_offer',
  /** a last prompt, then the server hangs up */
  'leaving',
  'ended',
] as const;
export type CallState = (typeof CALL_STATES)[number];

/** States in which a caller waits for a seat (the waiting list follows from these). */
export const WAITING_STATES: readonly CallState[] = ['queued', 'callback_offer'];
/** States in which the call has a seat leg. */
export const SEAT_STATES: readonly CallState[] = ['offering', 'ringing', 'screening', 'connected'];

const LIVE = CALL_STATES.filter((s) => s !== 'ended');
/** where an operator may move a call from (DESIGN §3 transfer) */
const TRANSFERABLE: readonly CallState[] = ['queued', 'callback_offer', 'offering', 'ringing', 'screening', 'connected'];

/** What an event carries that a guard may look at. */
export interface EventFacts {
  /** the seat leg the event is about */
  legId?: string;
  digit?: string;
}

/** What a guard sees of a call. */
export interface CallFacts {
  state: CallState;
  legId: string | null;
}

interface Transition {
  from: readonly CallState[];
  to: CallState;
  /** a refusal reason, or null when the event may move the call */
  guard?: (call: CallFacts, e: EventFacts) => string | null;
}

const sameLeg = (call: CallFacts, e: EventFacts) => (e.legId && e.legId === call.legId ? null : 'not the seat leg of this call');
const noLeg = (call: CallFacts) => (call.legId ? 'a seat is already being offered' : null);

export const TRANSITIONS = {
  /** a menu step: a digit, no input, a repeat */
  menu_step: { from: ['ivr'], to: 'ivr' },
  /** the IVR chose a queue */
  routed: { from: ['ivr'], to: 'queued' },
  /** out of hours: straight to the message prompt */
  after_hours: { from: ['ivr'], to: 'voicemail' },
  /** the longest-idle ready seat is dialled */
  seat_offered: { from: ['queued', 'callback_offer'], to: 'offering', guard: noLeg },
  /** Asterisk took the seat's leg: it rings */
  seat_ringing: { from: ['offering'], to: 'ringing', guard: sameLeg },
  seat_answered: { from: ['offering', 'ringing'], to: 'connected', guard: sameLeg },
  /** rang out, busy, refused or unreachable: back to waiting, at the head of the queue when it was a transfer */
  seat_missed: { from: ['offering', 'ringing'], to: 'queued', guard: sameLeg },
  /** a screened seat (an outside number) answered: the whisper plays to it, the caller keeps waiting */
  screening_started: { from: ['offering', 'ringing'], to: 'screening', guard: sameLeg },
  /** the far end pressed 1: bridged with the caller, answered at this moment */
  screening_accepted: { from: ['screening'], to: 'connected', guard: (c, e) => sameLeg(c, e) ?? (e.digit === '1' ? null : 'press 1 to take the call') },
  /** the far end pressed another key: a miss, the next seat */
  screening_declined: { from: ['screening'], to: 'queued', guard: sameLeg },
  /** no key in time, or the far end hung up during the whisper (a voicemail, a family member): a miss */
  screening_missed: { from: ['screening'], to: 'queued', guard: sameLeg },
  /** waited too long: moved to the overflow queue (keeps its arrival time) */
  overflowed: { from: ['queued'], to: 'queued' },
  max_wait: { from: ['queued'], to: 'callback_offer' },
  callback_accepted: { from: ['callback_offer'], to: 'leaving', guard: (_c, e) => (e.digit === '1' ? null : 'press 1 for a callback') },
  /** an operator moves the call to a named seat or an outside number */
  transferred_to_seat: { from: TRANSFERABLE, to: 'offering' },
  /** an operator moves the call to another queue */
  transferred_to_queue: { from: TRANSFERABLE, to: 'queued' },
  /** the seat hung up: the caller rates the call */
  seat_left: { from: ['connected'], to: 'survey', guard: sameLeg },
  rated: { from: ['survey'], to: 'leaving' },
  survey_timeout: { from: ['survey'], to: 'leaving' },
  message_saved: { from: ['voicemail'], to: 'leaving' },
  /** the caller hung up (or the channel is gone) */
  hung_up: { from: LIVE, to: 'ended' },
  /** Asterisk lost the call (it restarted) */
  cut: { from: LIVE, to: 'ended' },
} satisfies Record<string, Transition>;

export type CallEvent = keyof typeof TRANSITIONS;
export const CALL_EVENTS = Object.keys(TRANSITIONS) as CallEvent[];
/** How a call first appears: a new call enters, a known one is rebuilt after a restart. */
export type CallOrigin = 'entered' | 'restored';

export type Decision = { ok: true; to: CallState } | { ok: false; reason: string };

/** Where `event` takes `call`, or why it may not (the call then stays as it is). */
export function decide(call: CallFacts, event: CallEvent, facts: EventFacts = {}): Decision {
  const t: Transition = TRANSITIONS[event];
  if (!t.from.includes(call.state)) return { ok: false, reason: `${event} does not apply to a call in ${call.state}` };
  const refused = t.guard?.(call, facts) ?? null;
  if (refused) return { ok: false, reason: refused };
  return { ok: true, to: t.to };
}

export const isWaiting = (s: CallState) => WAITING_STATES.includes(s);
export const hasSeatLeg = (s: CallState) => SEAT_STATES.includes(s);
