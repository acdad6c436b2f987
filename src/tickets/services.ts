import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { HotlineBus } from '../shared/bus.js';
import type { Actor } from '../shared/actor.js';
import { shanghaiDate } from '../shared/time.js';
import { ticketCounters, ticketEvents, tickets } from './schema.js';

export type Ticket = typeof tickets.$inferSelect;
export type TicketEvent = typeof ticketEvents.$inferSelect;
export type TicketSource = Ticket['source'];

export interface NewTicket {
  source: TicketSource;
  kind?: string | null;
  status?: string;
  category?: string | null;
  subcategory?: string | null;
  callerNumber?: string | null;
  callerName?: string | null;
  callerEmail?: string | null;
  address?: string | null;
  street?: string | null;
  district?: string | null;
  title?: string | null;
  content?: string | null;
  externalOrderId?: string | null;
  needsCallback?: boolean;
  parentTicketId?: number | null;
  /** who works it from the start (a manual ticket's operator; a supervision's department) */
  assignedUserId?: number | null;
  departmentId?: string | null;
  assignedStreet?: string | null;
  dueAt?: number | null;
}

export interface TicketFilter {
  callerNumber?: string;
  kind?: string;
  status?: string;
  source?: string;
  category?: string;
  overdue?: boolean;
  needsCallback?: boolean;
  parentTicketId?: number;
  /** created at or after (ms) */
  from?: number;
  /** created before (ms) */
  to?: number;
  /** restrict to what a scoped user may see */
  scope?: SQL;
  limit?: number;
  offset?: number;
}

/** Creating, reading and recording the history of tickets. Lifecycle rules live in lifecycle.ts. */
export class TicketService {
  constructor(
    private readonly db: Db,
    private readonly bus: HotlineBus,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a ticket with the next number of the day; one transaction, one 'created' event. */
  create(input: NewTicket, actor: Actor, data?: unknown): Ticket {
    const at = this.now();
    const ticket = this.db.transaction((tx) => {
      const day = shanghaiDate(at);
      const [counter] = tx
        .insert(ticketCounters)
        .values({ day, last: 1 })
        .onConflictDoUpdate({ target: ticketCounters.day, set: { last: sql`${ticketCounters.last} + 1` } })
        .returning()
        .all();
      const number = `962200-${day.replaceAll('-', '')}-${String(counter.last).padStart(6, '0')}`;
      const [row] = tx
        .insert(tickets)
        .values({
          number,
          source: input.source,
          kind: input.kind ?? null,
          status: input.status ?? 'open',
          category: input.category ?? null,
          subcategory: input.subcategory ?? null,
          callerNumber: input.callerNumber ?? null,
          callerName: input.callerName ?? null,
          callerEmail: input.callerEmail ?? null,
          address: input.address ?? null,
          street: input.street ?? null,
          district: input.district ?? null,
          title: input.title ?? null,
          content: input.content ?? null,
          externalOrderId: input.externalOrderId ?? null,
          needsCallback: input.needsCallback ?? false,
          parentTicketId: input.parentTicketId ?? null,
          assignedUserId: input.assignedUserId ?? null,
          departmentId: input.departmentId ?? null,
          assignedStreet: input.assignedStreet ?? null,
          dueAt: input.dueAt ?? null,
          createdAt: at,
          updatedAt: at,
        })
        .returning()
        .all();
      tx.insert(ticketEvents)
        .values({ ticketId: row.id, at, actor: actor.name, actorRole: actor.role, action: 'created', toStatus: row.status, data: data ?? null })
        .run();
      return row;
    });
    this.bus.emit('ticket.created', { ticketId: ticket.id, number: ticket.number, source: ticket.source, kind: ticket.kind });
    return ticket;
  }

  get(id: number): Ticket | undefined {
    return this.db.select().from(tickets).where(eq(tickets.id, id)).get();
  }

  byNumber(number: string): Ticket | undefined {
    return this.db.select().from(tickets).where(eq(tickets.number, number)).get();
  }

  byExternalOrder(orderId: string): Ticket | undefined {
    return this.db.select().from(tickets).where(eq(tickets.externalOrderId, orderId)).get();
  }

  events(ticketId: number): TicketEvent[] {
    return this.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(ticketEvents.id).all();
  }

  list(filter: TicketFilter): { items: Ticket[]; total: number } {
    const where = and(
      filter.callerNumber ? eq(tickets.callerNumber, filter.callerNumber) : undefined,
      filter.kind ? eq(tickets.kind, filter.kind) : undefined,
      filter.status ? eq(tickets.status, filter.status) : undefined,
      filter.source ? eq(tickets.source, filter.source as TicketSource) : undefined,
      filter.category ? eq(tickets.category, filter.category) : undefined,
      filter.overdue !== undefined ? eq(tickets.overdue, filter.overdue) : undefined,
      filter.needsCallback !== undefined ? eq(tickets.needsCallback, filter.needsCallback) : undefined,
      filter.parentTicketId !== undefined ? eq(tickets.parentTicketId, filter.parentTicketId) : undefined,
      filter.from !== undefined ? gte(tickets.createdAt, filter.from) : undefined,
      filter.to !== undefined ? lt(tickets.createdAt, filter.to) : undefined,
      filter.scope,
    );
    const items = this.db
      .select()
      .from(tickets)
      .where(where)
      .orderBy(desc(tickets.createdAt), desc(tickets.id))
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0)
      .all();
    const [{ total }] = this.db.select({ total: sql<number>`count(*)` }).from(tickets).where(where).all();
    return { items, total };
  }

  /**
   * Changes fields of a ticket and appends the event, in one transaction. `expect`
   * guards against a concurrent change (the status it must still have).
   */
  update(
    id: number,
    changes: Partial<Omit<Ticket, 'id' | 'number' | 'createdAt'>>,
    event: { actor: Actor; action: string; reason?: string | null; data?: unknown },
    expectStatus?: string,
  ): Ticket {
    const at = this.now();
    const updated = this.db.transaction((tx) => {
      const before = tx.select().from(tickets).where(eq(tickets.id, id)).get();
      if (!before) throw new Error(`ticket ${id} not found`);
      if (expectStatus !== undefined && before.status !== expectStatus) {
        throw new Error(`ticket ${id} is ${before.status}, expected ${expectStatus}`);
      }
      const [row] = tx
        .update(tickets)
        .set({ ...changes, updatedAt: at, version: before.version + 1 })
        .where(eq(tickets.id, id))
        .returning()
        .all();
      tx.insert(ticketEvents)
        .values({
          ticketId: id,
          at,
          actor: event.actor.name,
          actorRole: event.actor.role,
          action: event.action,
          fromStatus: before.status,
          toStatus: row.status,
          reason: event.reason ?? null,
          data: event.data ?? null,
        })
        .run();
      return { before, row };
    });
    this.bus.emit('ticket.changed', { ticketId: id, action: event.action, fromStatus: updated.before.status, toStatus: updated.row.status });
    return updated.row;
  }
}
