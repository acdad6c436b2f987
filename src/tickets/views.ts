import { eq, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../shared/actor.js';
import { iso } from '../shared/time.js';
import type { CallRow } from '../calls/repository.js';
import { maskAddress, maskData, maskEmail, maskName, maskNumber, scrubText } from '../shared/masking.js';
import { tickets } from './schema.js';
import type { Ticket, TicketEvent } from './services.js';

export { maskAddress, maskEmail, maskName, maskNumber, scrubText } from '../shared/masking.js';

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
      // the lead, a co-handler (协办), or the bureau office asked to coordinate
      return actor.departmentId
        ? or(
            eq(tickets.departmentId, actor.departmentId),
            eq(tickets.coordinationDepartmentId, actor.departmentId),
            sql`${tickets.coHandlers} != '[]' AND EXISTS (SELECT 1 FROM json_each(${tickets.coHandlers}) WHERE json_extract(value, '$.departmentId') = ${actor.departmentId})`,
          )
        : sql`0`;
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
      return !!actor.departmentId && worksAsDepartment(actor.departmentId, t);
    case 'integration':
      return false;
    default:
      return true;
  }
}

/**
 * Whether a text search may read the full text of every ticket `actor` can list: those who
 * see every such ticket in clear (seesCallerInClear: supervisors, and street seats and
 * departments, who list only the tickets they work). Everyone else searches the masked text.
 */
export function searchesInClear(actor: Actor): boolean {
  return actor.role === 'supervisor' || actor.role === 'system' || actor.role === 'street_seat' || actor.role === 'department';
}

/** Who may read the caller's number and name in clear: supervisors and whoever works the ticket. */
export function seesCallerInClear(actor: Actor, t: Ticket, call?: CallRow): boolean {
  if (actor.role === 'supervisor' || actor.role === 'system') return true;
  if (actor.userId !== undefined && t.assignedUserId === actor.userId) return true;
  // the operator who took a drawn ticket's spot-check callback, until the result is in (reads are audited)
  if (actor.userId !== undefined && t.needsCallback && t.callbackUserId === actor.userId) return true;
  if (actor.seatId && (t.assignedSeatId === actor.seatId || call?.seatId === actor.seatId)) return true;
  if (actor.role === 'street_seat' && actor.street && t.assignedStreet === actor.street) return true;
  if (actor.role === 'department' && actor.departmentId && worksAsDepartment(actor.departmentId, t)) return true;
  return false;
}

/** A department works a ticket as its lead, a co-handler, or the bureau office asked to coordinate. */
function worksAsDepartment(departmentId: string, t: Ticket): boolean {
  return t.departmentId === departmentId || t.coordinationDepartmentId === departmentId || t.coHandlers.some((c) => c.departmentId === departmentId);
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
    address: clear ? t.address : maskAddress(t.address),
    street: t.street,
    district: t.district,
    title: clear ? t.title : scrubText(t.title),
    content: clear ? t.content : scrubText(t.content),
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
    // 暂定: counted over a year whose holiday notice is not loaded yet
    dueAtProvisional: t.dueAtProvisional,
    routeDueAtProvisional: t.routeDueAtProvisional,
    contactDueAtProvisional: t.contactDueAtProvisional,
    resolveDueAtProvisional: t.resolveDueAtProvisional,
    overdue: t.overdue,
    reply: clear ? t.reply : scrubText(t.reply),
    draftReply: clear ? t.draftReply : scrubText(t.draftReply),
    result: clear ? t.result : scrubText(t.result),
    satisfaction: t.satisfaction,
    flaggedForSupervisor: t.flaggedForSupervisor,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
    closedAt: iso(t.closedAt),
    orderDueAt: iso(t.orderDueAt),
    routedAt: iso(t.routedAt),
    coHandlers: t.coHandlers.map((c) => ({ departmentId: c.departmentId, part: c.part, partAt: iso(c.partAt) })),
    coordination: t.coordinationRequestedAt == null
      ? null
      : { departmentId: t.coordinationDepartmentId, reason: t.coordinationReason, requestedAt: iso(t.coordinationRequestedAt), answer: t.coordinationAnswer, answeredAt: iso(t.coordinationAnsweredAt), dueAt: iso(t.coordinationDueAt) },
    limit: t.limitDays == null ? null : { days: t.limitDays, unit: t.limitUnit, basis: t.limitBasis },
    extensionRequest: t.extensionRequest ? { ...t.extensionRequest, at: iso(t.extensionRequest.at) } : null,
    extensionCount: t.extensionCount,
    urgeCount: t.urgeCount,
    urgedAt: iso(t.urgedAt),
    // #14: who drafted the reply under review, reworks after an unsatisfied callback, a 督办's reason
    draftedByUserId: t.draftedByUserId,
    reworkCount: t.reworkCount,
    supervisionReason: t.supervisionReason,
    instructedBy: t.instructedBy,
  };
}

/** One history event; for a masked viewer its reason and data go through the masking policy too. */
export function eventView(e: TicketEvent, clear: boolean) {
  return {
    id: e.id,
    at: iso(e.at)!,
    actor: e.actor,
    actorRole: e.actorRole,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    reason: clear ? e.reason : scrubText(e.reason),
    data: clear ? (e.data ?? null) : (maskData(e.data) ?? null),
  };
}
