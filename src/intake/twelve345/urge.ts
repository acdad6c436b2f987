import type { HotlineBus } from '../../shared/bus.js';
import { systemActor } from '../../shared/actor.js';
import { notFound } from '../../shared/errors.js';
import type { Ticket, TicketService } from '../../tickets/services.js';

const actor = systemActor('12345');

/**
 * 12345 urges (催办) one of its orders: recorded as an `urged` event, the ticket flagged for the
 * supervisor, and whoever holds it alerted (bus `ticket.urged`: the desk's socket pushes it).
 * A finished ticket is urged too (12345 may not know yet); it stays finished.
 */
export function recordUrge(tickets: TicketService, bus: HotlineBus, now: () => number, orderId: string, reason: string): Ticket {
  const t = tickets.byExternalOrder(orderId);
  if (!t) throw notFound('12345工单');
  const row = tickets.update(t.id, { urgeCount: t.urgeCount + 1, urgedAt: now(), flaggedForSupervisor: true }, { actor, action: 'urged', reason, data: { orderId } });
  bus.emit('ticket.urged', {
    ticketId: row.id,
    number: row.number,
    reason,
    assignedSeatId: row.assignedSeatId,
    assignedUserId: row.assignedUserId,
    departmentId: row.departmentId,
    street: row.assignedStreet,
  });
  return row;
}
