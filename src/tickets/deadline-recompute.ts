// A holiday notice loaded (CalendarService.loadNotice): every open deadline that counted
// a changed day is counted again from the same start and the same number of working
// days. A ticket whose due time moved gets a history event with the old and new time
// (and 12345 hears of it through the outbox, as of any event); one whose times stayed
// but are no longer provisional is marked confirmed.
import { and, eq, gte, lt, notInArray } from 'drizzle-orm';
import type { NoticeChange } from '../calendar/service.js';
import { countDeadline, type Deadline } from '../calendar/working-days.js';
import type { Db } from '../db/index.js';
import { iso, shanghaiDate } from '../shared/time.js';
import { FINISHED, stepDeadline } from './lifecycle.js';
import { ticketDeadlines, tickets } from './schema.js';
import type { DueField, Ticket, TicketChanges, TicketService } from './services.js';

export const RECOMPUTED = 'deadlines_recomputed';
/** times unchanged, only no longer provisional: ours, not 12345's */
export const CONFIRMED = 'deadlines_confirmed';

interface Deps {
  db: Db;
  tickets: TicketService;
  now: () => number;
}

export function recomputeDeadlines(s: Deps, change: NoticeChange): number {
  // a deadline counted the days after its start up to its due day: (startDay, dueDay]
  const spans = s.db
    .select({ ticketId: ticketDeadlines.ticketId })
    .from(ticketDeadlines)
    .innerJoin(tickets, eq(tickets.id, ticketDeadlines.ticketId))
    .where(and(lt(ticketDeadlines.startDay, change.to), gte(ticketDeadlines.dueDay, change.from), notInArray(tickets.status, [...FINISHED])))
    .all();
  let changed = 0;
  for (const ticketId of new Set(spans.map((r) => r.ticketId))) {
    if (recomputeTicket(s, ticketId, change)) changed++;
  }
  return changed;
}

function recomputeTicket(s: Deps, ticketId: number, change: NoticeChange): boolean {
  const t = s.tickets.get(ticketId);
  if (!t) return false;
  const changes: TicketChanges = {};
  const moved: Array<{ field: DueField; before: string | null; after: string | null; provisional: boolean }> = [];
  let confirmed = false;
  for (const [field, basis] of s.tickets.deadlineBases(ticketId)) {
    // a field changed since without a basis is not ours to recount
    if (t[field] !== basis.at) continue;
    const next: Deadline = countDeadline(basis.startAt, basis.days, basis.unit, change.calendar);
    if (next.at === basis.at && next.provisional === basis.provisional) continue;
    changes[field] = next;
    if (next.at !== basis.at) moved.push({ field, before: iso(basis.at), after: iso(next.at), provisional: next.provisional });
    else confirmed = true;
  }
  if (!moved.length && !confirmed) return false;
  // a step marked overdue on a time that has now moved past the present is not overdue
  const after = { ...t, ...Object.fromEntries(Object.entries(changes).map(([f, d]) => [f, (d as Deadline).at])) } as Ticket;
  const due = stepDeadline(after);
  if (t.overdue && due !== null && due >= s.now()) changes.overdue = false;

  const year = `${change.year}年节假日安排已载入`;
  s.tickets.update(
    ticketId,
    changes,
    moved.length
      ? {
          actor: change.actor,
          action: RECOMPUTED,
          reason: `${year}，期限按通知重新计算：${moved.map((m) => `${FIELD_LABEL[m.field]} ${shanghai(m.before)} → ${shanghai(m.after)}`).join('；')}`,
          data: { year: change.year, moved },
        }
      : { actor: change.actor, action: CONFIRMED, reason: `${year}，期限不变，不再是暂定`, data: { year: change.year } },
    t.status,
  );
  return true;
}

const FIELD_LABEL: Record<DueField, string> = { dueAt: '当前期限', routeDueAt: '派转期限', contactDueAt: '联系期限', resolveDueAt: '办结期限' };

/** an instant as the Shanghai day people read: 2027-01-08 */
const shanghai = (at: string | null) => (at ? shanghaiDate(Date.parse(at)) : '—');
