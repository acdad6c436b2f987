import { EventEmitter } from 'node:events';

/**
 * Domain events inside the server. Features publish what happened; the supervisor
 * websocket, the 12345 outbox, metrics and alerts subscribe. Handlers run
 * synchronously after the DB write, so keep them quick.
 */
export interface HotlineEvents {
  'ticket.created': [{ ticketId: number; number: string; source: string; kind: string | null }];
  'ticket.changed': [{ ticketId: number; action: string; fromStatus: string | null; toStatus: string | null }];
  'emergency': [{ ticketId: number | null; callId: string | null; callerNumber: string | null; at: number; summary: string }];
  'call.changed': [{ callId: string; phase: string }];
  'queue.changed': [{ queue: string }];
  'seat.changed': [{ seatId: string; state: string }];
}

export class HotlineBus extends EventEmitter<HotlineEvents> {
  constructor() {
    super();
    this.setMaxListeners(100);
  }
}
