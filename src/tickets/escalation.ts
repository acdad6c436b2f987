// Supervision (督办, 第十六条) opened on a ticket: by an operator, or automatically when
// it is overdue, bounced between departments, or the citizen is unsatisfied at callback.
import { and, eq, ne } from 'drizzle-orm';
import type { Services } from '../services.js';
import type { Actor } from '../shared/actor.js';
import { workingDeadline } from '../calendar/working-days.js';
import { LIMITS } from './lifecycle.js';
import { ticketEscalations, tickets } from './schema.js';
import type { Ticket } from './services.js';

export type SupervisionReason = 'manual' | 'overdue' | 'bounced' | 'unsatisfied' | 'leader_instruction';

const WHY: Record<SupervisionReason, string> = {
  manual: '督办：由热线发起',
  overdue: '督办：办理超期',
  bounced: '督办：被承办单位退单两次及以上',
  unsatisfied: '督办：回访时市民不满意',
  leader_instruction: '督办（领导批示）',
};

/** reasons opened by a person each time they decide, not once per ticket */
const BY_HAND: readonly SupervisionReason[] = ['manual', 'leader_instruction'];

type Deps = Pick<Services, 'db' | 'tickets' | 'now'>;

/**
 * Opens a supervision ticket linked to `parent` (parentTicketId). Automatic reasons
 * open at most one per ticket and reason, ever (ticket_escalations is unique on both);
 * an open supervision of the parent already there is reused. Returns the supervision
 * ticket, or null when this reason was already escalated.
 */
export function openSupervision(s: Deps, parent: Ticket, reason: SupervisionReason, actor: Actor, note?: string | null, instructedBy?: string | null): Ticket | null {
  const why = reason === 'leader_instruction' && instructedBy ? `督办（领导批示，批示人：${instructedBy}）` : WHY[reason];
  return s.db.transaction(() => {
    if (!BY_HAND.includes(reason)) {
      const done = s.db.select().from(ticketEscalations).where(and(eq(ticketEscalations.ticketId, parent.id), eq(ticketEscalations.reason, reason))).get();
      if (done) return null;
    }
    const already =
      BY_HAND.includes(reason)
        ? undefined
        : s.db
            .select()
            .from(tickets)
            .where(and(eq(tickets.parentTicketId, parent.id), eq(tickets.kind, 'supervised'), ne(tickets.status, 'closed')))
            .get();
    const supervision =
      already ??
      s.tickets.create(
        {
          source: 'manual',
          kind: 'supervised',
          category: parent.category,
          subcategory: parent.subcategory,
          callerNumber: parent.callerNumber,
          callerName: parent.callerName,
          callerEmail: parent.callerEmail,
          address: parent.address,
          street: parent.street,
          district: parent.district,
          title: `督办 ${parent.number}${parent.title ? ` ${parent.title}` : ''}`,
          content: note ? `${why}：${note}` : why,
          parentTicketId: parent.id,
          // the department being supervised is the one the parent is with
          departmentId: parent.departmentId,
          assignedStreet: parent.assignedStreet,
          dueAt: workingDeadline(s.now(), LIMITS.inspect),
          supervisionReason: reason,
          instructedBy: reason === 'leader_instruction' ? (instructedBy ?? null) : null,
        },
        actor,
        { parentTicketId: parent.id, reason, ...(instructedBy ? { instructedBy } : {}) },
      );
    if (!BY_HAND.includes(reason)) {
      s.db.insert(ticketEscalations).values({ ticketId: parent.id, reason, supervisionTicketId: supervision.id, at: s.now() }).run();
    }
    s.tickets.update(parent.id, {}, { actor, action: 'supervision_opened', reason: note ?? why, data: { supervisionTicketId: supervision.id, reason, ...(instructedBy ? { instructedBy } : {}) } });
    return supervision;
  });
}
