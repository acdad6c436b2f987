import type { HotlineBus } from '../shared/bus.js';
import type { CallEvent, CallOrigin, CallState } from './call-state.js';

/** One change of one call: every transition sends exactly one. */
export interface CallChange {
  callId: string;
  ticketId: number;
  /** null when the call first appears (entered, or rebuilt after a restart) */
  from: CallState | null;
  to: CallState;
  event: CallEvent | CallOrigin;
  queue: string | null;
  /** the seat offered or talking after the change */
  seatId: string | null;
  /** the seat offered or talking before it (a transfer or a seat leaving) */
  fromSeatId: string | null;
  at: number;
}

/** Alerts carry a code for programs; pages word them. */
export type EmergencyCode = 'emergency_call' | 'emergency_ticket';

/**
 * The only place calls tell the rest of the server what happened (wazo's notifier.py):
 * the wallboard, the desk socket, metrics and listen-in all follow these.
 */
export class CallNotifier {
  constructor(
    private readonly bus: HotlineBus,
    private readonly now: () => number,
  ) {}

  changed(c: Omit<CallChange, 'at'>): void {
    this.bus.emit('call.changed', { ...c, at: this.now() });
  }

  queueChanged(queue: string): void {
    this.bus.emit('queue.changed', { queue });
  }

  emergencyCall(e: { ticketId: number; callId: string; callerNumber: string; menuPath: string }): void {
    this.bus.emit('emergency', { code: 'emergency_call', ticketId: e.ticketId, callId: e.callId, callerNumber: e.callerNumber, at: this.now(), summary: `emergency call (${e.menuPath})`, data: { menuPath: e.menuPath } });
  }
}
