import { and, asc, desc, eq, gt, gte, isNull, lte, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { ticketEvents, tickets } from '../../tickets/schema.js';
import { outbox12345 } from '../schema.js';
import { orderUpdate, type UnitNamer } from './messages.js';

export type OutboxRow = typeof outbox12345.$inferSelect;

/**
 * Events 12345 is not told about: its own input coming back (created, order_updated,
 * redispatched, urged), our text corrections (edit), and the center's internal steps —
 * who took it, the sweep and spot-check draw, a co-handler's part, coordination inside
 * the bureau, a pending or refused extension, a 督办 being opened (its outcome is sent).
 */
export const LOCAL_ACTIONS = [
  'created',
  'edit',
  'order_updated',
  'redispatched',
  'urged',
  'take',
  'sampled_for_callback',
  'spot_check',
  'overdue',
  'record_part',
  'request_coordination',
  'answer_coordination',
  'request_extension',
  'refuse_extension',
  'supervise',
  'supervision_opened',
  // a holiday notice left the times as they were, only no longer provisional
  'deadlines_confirmed',
];

/**
 * The queue of updates owed to 12345: one row per event of a 12345 ticket, kept
 * until 12345 acknowledges it. Only the oldest undelivered row of a ticket is ever
 * due, so 12345 sees a ticket's changes in the order they happened.
 */
export class Outbox12345 {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly nameOf?: UnitNamer,
  ) {}

  /** Queues the newest event of a ticket if the ticket came from 12345. Returns whether a row was added. */
  enqueueLatest(ticketId: number): boolean {
    const event = this.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(desc(ticketEvents.id)).limit(1).get();
    return event ? this.enqueueEvent(event.id) : false;
  }

  /**
   * Queues one event, once (the row is keyed by the event). Not sent: 'created' (12345 got
   * the ticket in its reply) and 'edit' (our own text corrections; the status is unchanged).
   */
  enqueueEvent(eventId: number): boolean {
    const found = this.db
      .select({ event: ticketEvents, ticket: tickets })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(eq(ticketEvents.id, eventId))
      .get();
    if (!found || found.ticket.source !== '12345' || !found.ticket.externalOrderId || LOCAL_ACTIONS.includes(found.event.action)) return false;
    const message = orderUpdate(found.ticket, found.event, this.nameOf);
    const at = this.now();
    const added = this.db
      .insert(outbox12345)
      .values({
        messageId: message.messageId,
        ticketId: found.ticket.id,
        eventId,
        kind: message.type,
        body: JSON.stringify(message),
        createdAt: at,
        nextAttemptAt: at,
      })
      .onConflictDoNothing()
      .run();
    return added.changes > 0;
  }

  /**
   * Queues events of 12345 tickets newer than the last one queued: what a crash
   * between a ticket change and its queueing would otherwise lose. Run at start.
   */
  catchUp(): number {
    const [{ last }] = this.db.select({ last: sql<number | null>`max(${outbox12345.eventId})` }).from(outbox12345).all();
    const missed = this.db
      .select({ id: ticketEvents.id })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(and(eq(tickets.source, '12345'), notInArray(ticketEvents.action, LOCAL_ACTIONS), last === null ? undefined : gt(ticketEvents.id, last)))
      .orderBy(asc(ticketEvents.id))
      .all();
    return missed.filter((e) => this.enqueueEvent(e.id)).length;
  }

  /** The head row of each ticket's queue, if its time has come; oldest first. */
  due(now: number, limit: number): OutboxRow[] {
    const head = sql`(select min(p.id) from ${outbox12345} p where p.ticket_id = ${outbox12345.ticketId} and p.delivered_at is null)`;
    return this.db
      .select()
      .from(outbox12345)
      .where(and(isNull(outbox12345.deliveredAt), lte(outbox12345.nextAttemptAt, now), eq(outbox12345.id, head)))
      .orderBy(asc(outbox12345.id))
      .limit(limit)
      .all();
  }

  delivered(id: number, at: number): void {
    this.db
      .update(outbox12345)
      .set({ deliveredAt: at, attempts: sql`${outbox12345.attempts} + 1`, lastError: null })
      .where(eq(outbox12345.id, id))
      .run();
  }

  failed(id: number, error: string, nextAttemptAt: number): void {
    this.db
      .update(outbox12345)
      .set({ attempts: sql`${outbox12345.attempts} + 1`, lastError: error.slice(0, 500), nextAttemptAt })
      .where(eq(outbox12345.id, id))
      .run();
  }

  /** For /ready: undelivered rows, how many failed at least `attempts` times, and the oldest such row's error. */
  backlog(attempts: number): { pending: number; struggling: number; lastError: string | null } {
    const [{ pending }] = this.db.select({ pending: sql<number>`count(*)` }).from(outbox12345).where(isNull(outbox12345.deliveredAt)).all();
    const struggling = this.db
      .select({ lastError: outbox12345.lastError })
      .from(outbox12345)
      .where(and(isNull(outbox12345.deliveredAt), gte(outbox12345.attempts, attempts)))
      .orderBy(asc(outbox12345.id))
      .all();
    return { pending, struggling: struggling.length, lastError: struggling[0]?.lastError ?? null };
  }

  byTicket(ticketId: number): OutboxRow[] {
    return this.db.select().from(outbox12345).where(eq(outbox12345.ticketId, ticketId)).orderBy(asc(outbox12345.id)).all();
  }
}
