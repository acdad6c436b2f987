import { iso } from '../../shared/time.js';
import type { Ticket, TicketEvent } from '../../tickets/services.js';

/** The lifecycle records a return to 12345 (第十八条, with its reason) under this action. */
export const RETURN_ACTION = 'return_to_12345';

/**
 * What the hotline tells 12345 about one of its orders: POSTed as JSON to
 * INTEGRATION_12345_URL + INTEGRATION_12345_OUTBOX_PATH, signed like 12345's own
 * pushes (X-Signature), with header Idempotency-Key = messageId. One message per
 * ticket event, in the order they happened; a message may arrive more than once.
 */
export interface OrderUpdate {
  /** stable per event: 12345 drops repeats by it */
  messageId: string;
  /** return: the hotline hands the order back (reason says why); status: anything else */
  type: 'status' | 'return';
  orderId: string;
  ticketNumber: string;
  /** the ticket event that caused it, e.g. route, resolve, close, return_to_12345 */
  action: string;
  status: string | null;
  previousStatus: string | null;
  reason: string | null;
  kind: string | null;
  /** the answer given to the citizen, once there is one */
  reply: string | null;
  /** the department's recorded result, once there is one */
  result: string | null;
  /** when it happened, ISO 8601 */
  at: string;
  /** the ticket's deadlines as they stand (ISO 8601); provisional: counted over a year with no holiday notice yet */
  dueDates: { dueAt: string | null; routeDueAt: string | null; contactDueAt: string | null; resolveDueAt: string | null; provisional: boolean };
}

export function orderUpdate(ticket: Ticket, event: TicketEvent): OrderUpdate {
  return {
    messageId: messageIdFor(event.id),
    type: event.action === RETURN_ACTION ? 'return' : 'status',
    orderId: ticket.externalOrderId!,
    ticketNumber: ticket.number,
    action: event.action,
    status: event.toStatus,
    previousStatus: event.fromStatus,
    reason: event.reason,
    kind: ticket.kind,
    reply: ticket.reply,
    result: ticket.result,
    at: iso(event.at)!,
    dueDates: {
      dueAt: iso(ticket.dueAt),
      routeDueAt: iso(ticket.routeDueAt),
      contactDueAt: iso(ticket.contactDueAt),
      resolveDueAt: iso(ticket.resolveDueAt),
      provisional: ticket.dueAtProvisional || ticket.routeDueAtProvisional || ticket.contactDueAtProvisional || ticket.resolveDueAtProvisional,
    },
  };
}

export function messageIdFor(eventId: number): string {
  return `962200-evt-${eventId}`;
}
