import { systemActor } from '../../shared/actor.js';
import { workingDeadline } from '../../calendar/working-days.js';
import { LIMITS } from '../../tickets/lifecycle.js';
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
  /** 12345's own deadline for the order, ISO 8601 (stored as orderDueAt) */
  dueAt?: string;
}

/** created: a new ticket; reopened: a returned order dispatched again; updated: new content recorded; repeat: nothing new */
export type OrderOutcome = 'created' | 'reopened' | 'updated' | 'repeat';

const actor = systemActor('12345');

/** The fields of a ticket that come from the order, to tell a real update from a retry. */
const ORDER_FIELDS = ['callerNumber', 'callerName', 'category', 'address', 'street', 'content', 'orderDueAt'] as const;
type Received = Pick<Ticket, (typeof ORDER_FIELDS)[number]>;
type OrderFields = Received & Pick<Ticket, 'title'>;
/** events that carry the order as received */
const RECEIVING = ['created', 'order_updated', 'redispatched'];

/**
 * Opens a ticket for a 12345 order, once: 12345 retries, so an identical repeat of the same
 * orderId returns the ticket already opened and changes nothing. The same orderId with
 * different content is 12345 updating its order: recorded as an `order_updated` event with
 * the old and new text, the ticket now holding the new. A returned order dispatched again
 * (第十八条) is reopened at the desk with a `redispatched` event keeping 12345's new text.
 * tickets.externalOrderId is unique, so even two deliveries racing each other end in one ticket.
 */
export class OrderIntake {
  constructor(
    private readonly tickets: TicketService,
    private readonly now: () => number = Date.now,
  ) {}

  accept(order: TransferredOrder): { ticket: Ticket; created: boolean; outcome: OrderOutcome } {
    const known = this.tickets.byExternalOrder(order.orderId);
    if (known) return this.again(known, order);
    try {
      const ticket = this.tickets.create(
        { source: '12345', externalOrderId: order.orderId, ...fieldsOf(order) },
        actor,
        { orderId: order.orderId, receivedAt: order.receivedAt ?? null, dueAt: order.dueAt ?? null, order: asReceived(order) },
      );
      return { ticket, created: true, outcome: 'created' };
    } catch (err) {
      const raced = isUniqueViolation(err) ? this.tickets.byExternalOrder(order.orderId) : undefined;
      if (raced) return { ticket: raced, created: false, outcome: 'repeat' };
      throw err;
    }
  }

  /**
   * The order as 12345 last sent it (kept in the event data), else the ticket's fields: the desk
   * may have corrected the text or classified it since, and a retry must not count as a change.
   */
  private lastReceived(known: Ticket): Received {
    const events = this.tickets.events(known.id);
    for (let i = events.length - 1; i >= 0; i--) {
      const order = (events[i].data as { order?: Received } | null)?.order;
      if (order && RECEIVING.includes(events[i].action)) return order;
    }
    return Object.fromEntries(ORDER_FIELDS.map((f) => [f, known[f] ?? null])) as Received;
  }

  private again(known: Ticket, order: TransferredOrder): { ticket: Ticket; created: boolean; outcome: OrderOutcome } {
    const previous = this.lastReceived(known);
    const received = asReceived(order);
    const before: Partial<Received> = {};
    const after: Partial<OrderFields> = {};
    for (const f of ORDER_FIELDS) {
      if ((previous[f] ?? null) === (received[f] ?? null)) continue;
      (before as Record<string, unknown>)[f] = previous[f];
      (after as Record<string, unknown>)[f] = received[f];
    }
    // the desk's classification stays the desk's
    if (after.category !== undefined && known.category !== previous.category) delete after.category;
    if (after.content !== undefined) after.title = titleOf(order.content);
    const data = { orderId: order.orderId, receivedAt: order.receivedAt ?? null, before, after, order: received };
    if (known.status === 'returned') {
      // back at the desk to be classified again, with the center's 2 working days to route
      const now = this.now();
      const routeDueAt = workingDeadline(now, LIMITS.route);
      const ticket = this.tickets.update(
        known.id,
        { ...after, status: 'open', kind: null, closedAt: null, overdue: false, routeDueAt, dueAt: routeDueAt, departmentId: null, assignedStreet: null, coHandlers: [] },
        { actor, action: 'redispatched', reason: '12345重新派发', data: { ...data, content: order.content } },
        'returned',
      );
      return { ticket, created: false, outcome: 'reopened' };
    }
    if (!Object.keys(after).length) return { ticket: known, created: false, outcome: 'repeat' };
    const ticket = this.tickets.update(known.id, after, { actor, action: 'order_updated', reason: '12345更新了工单内容', data });
    return { ticket, created: false, outcome: 'updated' };
  }
}

function asReceived(order: TransferredOrder): Received {
  const { title: _title, ...rest } = fieldsOf(order);
  return rest;
}

function fieldsOf(order: TransferredOrder): OrderFields {
  return {
    callerNumber: order.callerNumber,
    callerName: order.callerName ?? null,
    category: order.category ?? null,
    address: order.address ?? null,
    street: order.street ?? null,
    title: titleOf(order.content),
    content: order.content,
    orderDueAt: order.dueAt ? Date.parse(order.dueAt) : null,
  };
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
