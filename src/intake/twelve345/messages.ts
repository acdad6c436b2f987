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
  /** who handles it now: the lead department or the street (route, reroute…); null at the desk */
  unit: Unit | null;
  /** co-handling departments (协办) of a cross-department case */
  coHandlers: Unit[];
  /** the handler's limits, ISO 8601: contact the citizen by, answer by; and 12345's own */
  contactDueAt: string | null;
  resolveDueAt: string | null;
  orderDueAt: string | null;
  /** a statutory or promised limit the route carries, with its legal basis */
  limit: { days: number; unit: string | null; basis: string | null } | null;
  /** on `supervision_result`: the 督办 ticket and what the supervised unit answered */
  supervision: { ticketNumber: string; result: string } | null;
}

export interface Unit {
  kind: 'department' | 'street';
  id: string;
  name: string;
}

/** A unit's display name (the registry's), or its id when it is not registered. */
export type UnitNamer = (kind: Unit['kind'], id: string) => string;

export function orderUpdate(ticket: Ticket, event: TicketEvent, nameOf: UnitNamer = (_k, id) => id): OrderUpdate {
  const unit = (kind: Unit['kind'], id: string | null): Unit | null => (id ? { kind, id, name: nameOf(kind, id) } : null);
  const supervision = event.action === SUPERVISION_RESULT ? (event.data as { supervisionNumber?: string; result?: string } | null) : null;
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
    unit: unit('department', ticket.departmentId) ?? unit('street', ticket.assignedStreet),
    coHandlers: ticket.coHandlers.map((c) => unit('department', c.departmentId)!),
    contactDueAt: iso(ticket.contactDueAt),
    resolveDueAt: iso(ticket.resolveDueAt),
    orderDueAt: iso(ticket.orderDueAt),
    limit: ticket.limitDays == null ? null : { days: ticket.limitDays, unit: ticket.limitUnit, basis: ticket.limitBasis },
    supervision: supervision ? { ticketNumber: supervision.supervisionNumber ?? '', result: supervision.result ?? event.reason ?? '' } : null,
  };
}

/** The action a supervision's outcome is recorded under on the supervised ticket (tickets/workflow.ts). */
export const SUPERVISION_RESULT = 'supervision_result';

export function messageIdFor(eventId: number): string {
  return `962200-evt-${eventId}`;
}
