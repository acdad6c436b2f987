// Deadline sweep (第十五、十六条): marks tickets whose current step is past its deadline
// overdue, and opens supervision once per ticket for overdue routed tickets, tickets
// bounced between departments twice or more, and citizens unsatisfied at callback.
// Driven by ticket state alone, so running it again (or late) does no harm.
import { and, eq, gte, inArray, isNotNull, isNull, ne, notInArray, or } from 'drizzle-orm';
import type { Services } from '../services.js';
import { systemActor } from '../shared/actor.js';
import { iso } from '../shared/time.js';
import { openSupervision, type SupervisionReason } from '../tickets/escalation.js';
import { FINISHED, stepDeadline } from '../tickets/lifecycle.js';
import { ticketEscalations, tickets } from '../tickets/schema.js';
import type { Ticket } from '../tickets/services.js';

type Deps = Pick<Services, 'db' | 'tickets' | 'now'>;

export interface SweepResult {
  overdue: number;
  supervisionsOpened: number;
  /** tickets whose deadline could not be computed (e.g. a calendar year missing) */
  skipped: number;
}

export function sweepDeadlines(s: Deps, now: number = s.now()): SweepResult {
  const actor = systemActor('deadline-sweep');
  const result: SweepResult = { overdue: 0, supervisionsOpened: 0, skipped: 0 };

  const running = s.db
    .select()
    .from(tickets)
    // 12345's own deadline binds any kind of order (stepDeadline takes the earlier)
    .where(and(or(inArray(tickets.kind, ['routed', 'supervised']), isNotNull(tickets.orderDueAt)), eq(tickets.overdue, false), notInArray(tickets.status, [...FINISHED])))
    .all();
  for (const t of running) {
    let deadline: number | null;
    try {
      deadline = stepDeadline(t);
    } catch {
      result.skipped++;
      continue;
    }
    if (deadline === null || deadline >= now) continue;
    s.db.transaction(() => {
      const row = s.tickets.update(
        t.id,
        { overdue: true, flaggedForSupervisor: t.kind === 'supervised' ? true : t.flaggedForSupervisor },
        { actor, action: 'overdue', reason: `deadline ${iso(deadline)} passed while ${t.status}`, data: { deadline, step: t.status } },
        t.status,
      );
      result.overdue++;
      // a late supervision is flagged to the supervisor, not supervised again
      if (row.kind === 'routed' && openSupervision(s, row, 'overdue', actor)) result.supervisionsOpened++;
    });
  }

  const owed: Array<[SupervisionReason, Ticket[]]> = [
    ['overdue', unescalated('overdue', eq(tickets.overdue, true))],
    ['bounced', unescalated('bounced', gte(tickets.bounceCount, 2))],
    ['unsatisfied', unescalated('unsatisfied', eq(tickets.satisfaction, 'unsatisfied'))],
  ];
  for (const [reason, list] of owed) {
    for (const t of list) if (openSupervision(s, t, reason, actor)) result.supervisionsOpened++;
  }
  return result;

  /** non-supervision tickets meeting `cond` that have no supervision for `reason` yet */
  function unescalated(reason: SupervisionReason, cond: ReturnType<typeof eq>): Ticket[] {
    return s.db
      .select({ t: tickets })
      .from(tickets)
      .leftJoin(ticketEscalations, and(eq(ticketEscalations.ticketId, tickets.id), eq(ticketEscalations.reason, reason)))
      .where(and(cond, ne(tickets.kind, 'supervised'), isNull(ticketEscalations.id)))
      .all()
      .map((r) => r.t);
  }
}
