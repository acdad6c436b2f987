// Ticket counts by kind × category × status × source (第十九条). One query serves the
// period statistics, the daily report job (src/jobs/daily-report.ts) and its CSV.
import { and, asc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { tickets } from '../tickets/schema.js';

export interface TicketCountRow {
  kind: string | null;
  category: string | null;
  status: string;
  source: string;
  count: number;
}

export interface TicketCountQuery {
  /** created at or after (epoch ms) */
  start: number;
  /** created before (epoch ms) */
  end: number;
  /**
   * count each ticket with the status it had at this instant, read from the
   * append-only history (so a late run gives the same counts); omitted: its status now
   */
  statusAsOf?: number;
  kind?: string;
  source?: string;
}

/** Tickets created in [start, end) (tickets_created_idx), grouped; ordered by kind, category, status, source. */
export function countTickets(db: Db, q: TicketCountQuery): TicketCountRow[] {
  // spelled out: drizzle leaves columns unqualified in one-table queries, and "id" would be e.id
  const status: SQL<string> =
    q.statusAsOf === undefined
      ? sql<string>`${tickets.status}`
      : sql<string>`coalesce((select e.to_status from ticket_events e where e.ticket_id = "tickets"."id" and e.at < ${q.statusAsOf} and e.to_status is not null order by e.id desc limit 1), "tickets"."status")`;
  const where = and(
    gte(tickets.createdAt, q.start),
    lt(tickets.createdAt, q.end),
    q.kind === undefined ? undefined : eq(tickets.kind, q.kind),
    q.source === undefined ? undefined : eq(tickets.source, q.source as 'phone'),
  );
  return db
    .select({ kind: tickets.kind, category: tickets.category, status: status.as('report_status'), source: tickets.source, count: sql<number>`count(*)` })
    .from(tickets)
    .where(where)
    .groupBy(tickets.kind, tickets.category, sql`report_status`, tickets.source)
    .orderBy(asc(tickets.kind), asc(tickets.category), asc(sql`report_status`), asc(tickets.source))
    .all()
    .map((r) => ({ ...r, count: Number(r.count) }));
}
