import { eq, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../shared/actor.js';
import { iso } from '../shared/time.js';
import type { CallRow } from '../calls/repository.js';
import { tickets } from './schema.js';
import type { Ticket, TicketEvent } from './services.js';

/** 13800138000 -> 138****8000; short numbers keep only their last two digits. */
export function maskNumber(n: string | null): string | null {
  if (!n) return n;
  if (n.length >= 7) return n.slice(0, 3) + '****' + n.slice(-4);
  return '*'.repeat(Math.max(0, n.length - 2)) + n.slice(-2);
}

export function maskName(n: string | null): string | null {
  if (!n) return n;
  return [...n][0] + '*'.repeat(Math.max(1, [...n].length - 1));
}

export function maskEmail(e: string | null): string | null {
  if (!e) return e;
  const [user, domain] = e.split('@');
  return `${user.slice(0, 1)}***@${domain ?? ''}`;
}

/**
 * Street seats and departments see only their own tickets (DESIGN §6): a street seat
 * those routed to its street and the calls it took itself; a department those routed to it.
 */
export function ticketScope(actor: Actor): SQL | undefined {
  switch (actor.role) {
    case 'street_seat':
      if (!actor.street && !actor.seatId) return sql`0`;
      return or(actor.street ? eq(tickets.assignedStreet, actor.street) : undefined, actor.seatId ? eq(tickets.assignedSeatId, actor.seatId) : undefined);
    case 'department':
      return actor.departmentId ? eq(tickets.departmentId, actor.departmentId) : sql`0`;
    case 'integration':
      return sql`0`;
    default:
      return undefined;
  }
}

export function canSee(actor: Actor, t: Ticket): boolean {
  switch (actor.role) {
    case 'street_seat':
      return (!!actor.street && t.assignedStreet === actor.street) || (!!actor.seatId && t.assignedSeatId === actor.seatId);
    case 'department':
      return !!actor.departmentId && t.departmentId === actor.departmentId;
    case 'integration':
      return false;
    default:
      return true;
  }
}

/** Who may read the caller's number and name in clear: supervisors and whoever works the ticket. */
export function seesCallerInClear(actor: Actor, t: Ticket, call?: CallRow): boolean {
  if (actor.role === 'supervisor' || actor.role === 'system') return true;
  if (actor.userId !== undefined && t.assignedUserId === actor.userId) return true;
  if (actor.seatId && (t.assignedSeatId === actor.seatId || call?.seatId === actor.seatId)) return true;
  if (actor.role === 'street_seat' && actor.street && t.assignedStreet === actor.street) return true;
  if (actor.role === 'department' && actor.departmentId && t.departmentId === actor.departmentId) return true;
  return false;
}

export function callView(c: CallRow | undefined, clear: boolean) {
  if (!c) return null;
  return {
    channelId: c.origin === 'ari' ? c.id : null,
    id: c.id,
    origin: c.origin,
    callerNumber: clear ? c.callerNumber : maskNumber(c.callerNumber),
    dialedNumber: c.dialedNumber,
    category: c.category,
    subcategory: c.subcategory,
    ivrPath: c.ivrPath,
    queue: c.queue,
    priority: c.priority,
    street: c.street,
    /** the call's state (calls/call-state.ts) */
    state: c.state,
    seatId: c.seatId,
    startedAt: iso(c.startedAt),
    answeredAt: iso(c.answeredAt),
    enqueuedAt: iso(c.enqueuedAt),
    offeredAt: iso(c.offeredAt),
    seatAnsweredAt: iso(c.seatAnsweredAt),
    endedAt: iso(c.endedAt),
    outcome: c.outcome,
    hangupCause: c.hangupCause,
    recordingName: c.recordingName,
    voicemailName: c.voicemailName,
    waitSeconds: c.waitSeconds,
    talkSeconds: c.talkSeconds,
    rating: c.rating,
  };
}

export function ticketView(t: Ticket, clear: boolean) {
  return {
    id: t.id,
    number: t.number,
    source: t.source,
    kind: t.kind,
    status: t.status,
    category: t.category,
    subcategory: t.subcategory,
    callerNumber: clear ? t.callerNumber : maskNumber(t.callerNumber),
    callerName: clear ? t.callerName : maskName(t.callerName),
    callerEmail: clear ? t.callerEmail : maskEmail(t.callerEmail),
    callerMasked: !clear,
    address: t.address,
    street: t.street,
    district: t.district,
    title: t.title,
    content: t.content,
    assignedSeatId: t.assignedSeatId,
    assignedUserId: t.assignedUserId,
    departmentId: t.departmentId,
    assignedStreet: t.assignedStreet,
    needsCallback: t.needsCallback,
    externalOrderId: t.externalOrderId,
    parentTicketId: t.parentTicketId,
    dueAt: iso(t.dueAt),
    routeDueAt: iso(t.routeDueAt),
    contactDueAt: iso(t.contactDueAt),
    resolveDueAt: iso(t.resolveDueAt),
    overdue: t.overdue,
    reply: t.reply,
    draftReply: t.draftReply,
    result: t.result,
    satisfaction: t.satisfaction,
    flaggedForSupervisor: t.flaggedForSupervisor,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
    closedAt: iso(t.closedAt),
  };
}

export function eventView(e: TicketEvent) {
  return {
    id: e.id,
    at: iso(e.at)!,
    actor: e.actor,
    actorRole: e.actorRole,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    reason: e.reason,
    data: e.data ?? null,
  };
}
