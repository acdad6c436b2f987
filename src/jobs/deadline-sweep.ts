// Deadline sweep (第十五、十六条): marks tickets whose current step is past its deadline
// overdue (an unclassified one's too: the desk's 2 working days from receipt; whenOverdue),
// and opens supervision once per ticket for overdue routed tickets, tickets bounced
// between departments twice or more, and citizens unsatisfied at callback.
// Driven by ticket state alone, so running it again (or late) does no harm.
import { and, eq, gte, inArray, isNotNull, isNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import { alertBureauOfficeOverdue, alertRoutingOverdue } from '../alerts/raise.js';
import type { Services } from '../services.js';
import { systemActor } from '../shared/actor.js';
import { shanghaiDate } from '../shared/time.js';
import { statusLabel } from '../tickets/words.js';
import { openSupervision, type SupervisionReason } from '../tickets/escalation.js';
import { FINISHED, stepDeadline } from '../tickets/lifecycle.js';
import { ticketEscalations, tickets } from '../tickets/schema.js';
import type { Ticket, TicketChanges } from '../tickets/services.js';

type Deps = Pick<Services, 'db' | 'tickets' | 'now' | 'alerts'> & { log?: SweepLog };

/** where a ticket the sweep could not handle is reported (the app's logger) */
export interface SweepLog {
  error(obj: object, msg: string): void;
}

export interface SweepResult {
  overdue: number;
  supervisionsOpened: number;
  /** overdue steps of the center's own (routing) or the bureau office's, flagged to the supervisor */
  alertsRaised: number;
  /** tickets the sweep could not handle this run (logged, left for the next run) */
  skipped: number;
}

/** The desk's own step: classifying a ticket, or routing a routed one (第十五条's 2 working days). */
export function isDesksOwnStep(t: Ticket): boolean {
  return (t.kind === null && t.status === 'open') || (t.kind === 'routed' && (t.status === 'open' || t.status === 'bounced'));
}

/**
 * What the sweep does to a ticket whose step is past its deadline, besides the 督办 it may
 * owe (opened below for overdue tickets of a kind, never for an unclassified one: there
 * is no department to supervise). A supervision and the desk's own unclassified tickets
 * are flagged to the supervisor.
 */
export function whenOverdue(t: Ticket): TicketChanges {
  const flag = t.kind === 'supervised' || (t.kind === null && isDesksOwnStep(t));
  return { overdue: true, flaggedForSupervisor: flag || t.flaggedForSupervisor };
}

/** which step ran late, in the history's words */
const STEP_NAME = (t: Ticket) => (t.kind === null ? '定性分类' : isDesksOwnStep(t) ? '派转' : t.status === 'routed' || t.status === 'accepted' ? '联系' : t.status === 'in_progress' || t.status === 'supervising' ? '办结' : '办理');
/** an instant as people read it: 2026-03-04 23:59 (Shanghai) */
const shanghaiMinute = (at: number) => `${shanghaiDate(at)} ${new Date(at + 8 * 3_600_000).toISOString().slice(11, 16)}`;

export function sweepDeadlines(s: Deps, now: number = s.now()): SweepResult {
  const actor = systemActor('deadline-sweep');
  const result: SweepResult = { overdue: 0, supervisionsOpened: 0, alertsRaised: 0, skipped: 0 };

  const running = s.db
    .select()
    .from(tickets)
    // unclassified tickets of every channel: the desk's 2 working days to classify them;
    // 12345's own deadline binds any kind of order (stepDeadline takes the earlier)
    .where(
      and(
        or(inArray(tickets.kind, ['routed', 'supervised', 'emergency']), and(isNull(tickets.kind), eq(tickets.status, 'open')), isNotNull(tickets.orderDueAt)),
        eq(tickets.overdue, false),
        notInArray(tickets.status, [...FINISHED]),
      ),
    )
    .all();
  // one bad ticket never stops the sweep: it is logged, skipped, and tried again next run
  const each = (t: Ticket, work: () => void) => {
    try {
      work();
    } catch (err) {
      result.skipped++;
      s.log?.error({ err, ticketId: t.id, number: t.number }, 'deadline sweep: ticket skipped');
    }
  };
  for (const t of running) each(t, () => markOverdue(t));

  // a 督办 supervises a unit: an overdue ticket no unit holds yet is the center's own routing
  // (第十五条), and an emergency waits on the bureau office; both are the supervisor's to see
  const withUnit = or(isNotNull(tickets.departmentId), isNotNull(tickets.assignedStreet));
  const owed: Array<[SupervisionReason, Ticket[]]> = [
    ['overdue', unescalated('overdue', and(eq(tickets.overdue, true), ne(tickets.kind, 'emergency'), withUnit)!)],
    ['bounced', unescalated('bounced', gte(tickets.bounceCount, 2))],
    // 第十六条: 督办 when still unsatisfied after the rework (a callback sends it back first),
    // or on a closed ticket's spot check, which has no rework
    ['unsatisfied', unescalated('unsatisfied', and(eq(tickets.satisfaction, 'unsatisfied'), or(eq(tickets.status, 'closed'), and(eq(tickets.status, 'called_back'), gte(tickets.reworkCount, 1))))!)],
  ];
  for (const [reason, list] of owed) {
    for (const t of list) each(t, () => void (openSupervision(s, t, reason, actor) && result.supervisionsOpened++));
  }
  for (const t of s.db.select().from(tickets).where(and(eq(tickets.overdue, true), isNull(tickets.departmentId), isNull(tickets.assignedStreet), sql`coalesce(${tickets.kind}, '') not in ('supervised', 'emergency')`, notInArray(tickets.status, [...FINISHED]))).all()) {
    each(t, () => void (alertRoutingOverdue(s.alerts, t) && result.alertsRaised++));
  }
  const unanswered = and(isNotNull(tickets.coordinationRequestedAt), isNull(tickets.coordinationAnsweredAt), lt(tickets.coordinationDueAt, now), notInArray(tickets.status, [...FINISHED]));
  for (const t of s.db.select().from(tickets).where(unanswered).all()) each(t, () => void (alertBureauOfficeOverdue(s.alerts, t) && result.alertsRaised++));
  return result;

  function markOverdue(t: Ticket): void {
    const deadline = stepDeadline(t);
    if (deadline === null || deadline >= now) return;
    // marked on its own: the supervision it owes is opened below, and a failure there
    // must not undo the mark (a late supervision is flagged to the supervisor, not supervised again)
    s.tickets.update(t.id, whenOverdue(t), { actor, action: 'overdue', reason: `${STEP_NAME(t)}期限 ${shanghaiMinute(deadline)} 已过（「${statusLabel(t.status)}」时超期）`, data: { deadline, step: t.status } }, t.status);
    result.overdue++;
  }

  /** non-supervision tickets meeting `cond` that have no supervision for `reason` yet */
  function unescalated(reason: SupervisionReason, cond: NonNullable<ReturnType<typeof and>>): Ticket[] {
    return s.db
      .select({ t: tickets })
      .from(tickets)
      .leftJoin(ticketEscalations, and(eq(ticketEscalations.ticketId, tickets.id), eq(ticketEscalations.reason, reason)))
      // kind IS NOT NULL: an unclassified ticket has no department to supervise (whenOverdue flags it)
      .where(and(cond, isNotNull(tickets.kind), ne(tickets.kind, 'supervised'), isNull(ticketEscalations.id)))
      .all()
      .map((r) => r.t);
  }
}
