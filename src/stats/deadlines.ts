// Deadline compliance (第十五、十六、二十一条) per department and per street.
import { and, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { tickets } from '../tickets/schema.js';
import { DAY_MS, type Period } from './period.js';

/*
 * What "on time" means here (see src/tickets/lifecycle.ts):
 * - a ticket's deadline is its resolveDueAt — the answer/completion limit set when it is
 *   routed (10 working days, or a shorter promise) or when supervision starts — falling
 *   back to dueAt, the limit of the step it is in (routing within 2 working days for a
 *   routed ticket not yet routed, the inspection office's 3 days for a new supervision).
 *   Tickets with neither (immediate, emergency, collaborative) have no deadline: not counted.
 * - it is finished when the handler resolved it (resolvedAt: `resolve` / `respond`),
 *   falling back to closedAt; on time when finished at or before the deadline (a deadline
 *   is the end of a Shanghai day, 23:59:59.999).
 * - a ticket counts in the period its deadline falls in. Not finished: overdue when the
 *   deadline has passed (computed from the times, not the sweep's `overdue` flag, so a
 *   sweep that has not run yet changes nothing), else pending.
 * - onTimeRate = onTime ÷ (onTime + late + overdue): pending ones are not decided yet.
 * - per department: tickets.departmentId; per street: tickets.assignedStreet (a ticket
 *   routed to a street has no department). `total` also counts tickets routed to neither
 *   (a routed ticket still at the desk waiting to be routed).
 *
 * Speed: there is no index on the deadlines, so the scan is bounded on tickets_created_idx:
 * a deadline is never before its ticket was created, and tickets created more than
 * DEADLINE_LOOKBACK_DAYS before the period are not looked at (their deadlines would have to
 * be three months after intake: only a ticket reopened that much later).
 */
export const DEADLINE_LOOKBACK_DAYS = 92;

export interface Compliance {
  due: number;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
  onTimeRate: number | null;
}

export interface DeadlineReport {
  total: Compliance;
  departments: Array<Compliance & { departmentId: string }>;
  streets: Array<Compliance & { street: string }>;
}

const empty = (): Omit<Compliance, 'onTimeRate'> => ({ due: 0, onTime: 0, late: 0, overdue: 0, pending: 0 });
const rate = (c: Omit<Compliance, 'onTimeRate'>): Compliance => {
  const decided = c.onTime + c.late + c.overdue;
  return { ...c, onTimeRate: decided ? c.onTime / decided : null };
};

export function deadlineCompliance(db: Db, p: Period, now: number): DeadlineReport {
  const deadline = sql`coalesce(${tickets.resolveDueAt}, ${tickets.dueAt})`;
  const finished = sql`coalesce(${tickets.resolvedAt}, ${tickets.closedAt})`;
  const rows = db
    .select({
      departmentId: tickets.departmentId,
      street: tickets.assignedStreet,
      due: sql<number>`count(*)`,
      onTime: sql<number>`sum(case when ${finished} is not null and ${finished} <= ${deadline} then 1 else 0 end)`,
      late: sql<number>`sum(case when ${finished} is not null and ${finished} > ${deadline} then 1 else 0 end)`,
      overdue: sql<number>`sum(case when ${finished} is null and ${deadline} < ${now} then 1 else 0 end)`,
    })
    .from(tickets)
    .where(and(gte(tickets.createdAt, p.start - DEADLINE_LOOKBACK_DAYS * DAY_MS), lt(tickets.createdAt, p.end), sql`${deadline} >= ${p.start}`, sql`${deadline} < ${p.end}`))
    .groupBy(tickets.departmentId, tickets.assignedStreet)
    .all();

  const total = empty();
  const departments = new Map<string, ReturnType<typeof empty>>();
  const streets = new Map<string, ReturnType<typeof empty>>();
  const add = (into: ReturnType<typeof empty>, r: (typeof rows)[number]) => {
    const due = Number(r.due);
    const onTime = Number(r.onTime);
    const late = Number(r.late);
    const overdue = Number(r.overdue);
    into.due += due;
    into.onTime += onTime;
    into.late += late;
    into.overdue += overdue;
    into.pending += due - onTime - late - overdue;
  };
  const slot = (m: Map<string, ReturnType<typeof empty>>, key: string) => m.get(key) ?? m.set(key, empty()).get(key)!;
  for (const r of rows) {
    add(total, r);
    if (r.departmentId !== null) add(slot(departments, r.departmentId), r);
    if (r.street !== null) add(slot(streets, r.street), r);
  }
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    total: rate(total),
    departments: sorted(departments).map(([departmentId, c]) => ({ departmentId, ...rate(c) })),
    streets: sorted(streets).map(([street, c]) => ({ street, ...rate(c) })),
  };
}
