import { systemActor } from '../../shared/actor.js';
import type { Ticket, TicketService } from '../../tickets/services.js';

/** A work order transferred from 12345 (流转工单), as it arrives (DESIGN §7). */
export interface TransferredOrder {
  orderId: string;
  callerNumber: string;
  content: string;
  callerName?: string;
  category?: string;
  address?: string;
  street?: string;
  /** when 12345 took it, ISO 8601 */
  receivedAt?: string;
}

const actor = systemActor('12345');

/**
 * Opens a ticket for a 12345 order, once: 12345 retries, so a repeat of the same
 * orderId returns the ticket already opened (as stored: a resend that differs does not
 * change it, and the reply shows 12345 what we hold). tickets.externalOrderId is unique, so
 * even two deliveries racing each other end in one ticket.
 */
export class OrderIntake {
  constructor(private readonly tickets: TicketService) {}

  accept(order: TransferredOrder): { ticket: Ticket; created: boolean } {
    const known = this.tickets.byExternalOrder(order.orderId);
    if (known) return { ticket: known, created: false };
    try {
      const ticket = this.tickets.create(
        {
          source: '12345',
          externalOrderId: order.orderId,
          callerNumber: order.callerNumber,
          callerName: order.callerName ?? null,
          category: order.category ?? null,
          address: order.address ?? null,
          street: order.street ?? null,
          title: titleOf(order.content),
          content: order.content,
        },
        actor,
        { orderId: order.orderId, receivedAt: order.receivedAt ?? null },
      );
      return { ticket, created: true };
    } catch (err) {
      const raced = isUniqueViolation(err) ? this.tickets.byExternalOrder(order.orderId) : undefined;
      if (raced) return { ticket: raced, created: false };
      throw err;
    }
  }
}

/** The first line of the order, short enough for a list. */
function titleOf(content: string): string {
  const line = content.trim().split('\n', 1)[0];
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  }
  return false;
}
