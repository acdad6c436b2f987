import { EventEmitter } from 'node:events';
import type { CallChange, EmergencyCode } from '../calls/notifier.js';
import type { AlertView } from '../alerts/services.js';

/**
 * Domain events inside the server. Features publish what happened; the supervisor
 * websocket, the 12345 outbox, metrics and alerts subscribe. Handlers run
 * synchronously after the DB write, so keep them quick.
 */
export interface HotlineEvents {
  'ticket.created': [{ ticketId: number; number: string; source: string; kind: string | null }];
  'ticket.changed': [{ ticketId: number; source: string; action: string; fromStatus: string | null; toStatus: string | null }];
  /** 12345 urged (催办) an order: whoever holds the ticket is told */
  'ticket.urged': [{ ticketId: number; number: string; reason: string; assignedSeatId: string | null; assignedUserId: number | null; departmentId: string | null; street: string | null }];
  /** `code` says what kind of alert it is (pages word it); `summary` is for logs */
  'emergency': [{ code?: EmergencyCode; ticketId: number | null; callId: string | null; callerNumber: string | null; at: number; summary: string; data?: Record<string, unknown> }];
  /** one per transition of a citizen's call (calls/notifier.ts) */
  'call.changed': [CallChange];
  'queue.changed': [{ queue: string }];
  'seat.changed': [{ seatId: string; state: string }];
  /** the user's tokens are no longer good (disabled, deleted, re-roled, logged out): close its sockets */
  'sessions.revoked': [{ userId: number }];
  /** a stored alert raised, or pushed again because nobody acknowledged it (src/alerts) */
  'alert': [{ alert: AlertView; repeat: boolean }];
  'alert.acknowledged': [{ id: number; by: string }];
}

export class HotlineBus extends EventEmitter<HotlineEvents> {
  constructor() {
    super();
    this.setMaxListeners(100);
  }
}
