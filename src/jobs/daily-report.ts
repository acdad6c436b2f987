// The daily report row set (第十九条): tickets created on a Shanghai day, counted by
// kind × category × status × source, the status as it stood at the end of that day
// (read from the append-only history, so a late run gives the same counts).
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { shanghaiInstant } from '../shared/time.js';
import { tickets } from '../tickets/schema.js';
import { dailyTicketReport } from './schema.js';

export interface ReportResult {
  day: string;
  tickets: number;
  rows: number;
}

export function buildDailyReport(db: Db, day: string, now: number): ReportResult {
  const start = shanghaiInstant(day);
  const end = start + 86_400_000;
  // spelled out: drizzle leaves columns unqualified in one-table queries, and "id" would be e.id
  const statusAtEnd = sql<string>`coalesce((select e.to_status from ticket_events e where e.ticket_id = "tickets"."id" and e.at < ${end} and e.to_status is not null order by e.id desc limit 1), "tickets"."status")`;
  const counts = db
    .select({ kind: tickets.kind, category: tickets.category, source: tickets.source, status: statusAtEnd, count: sql<number>`count(*)` })
    .from(tickets)
    .where(and(gte(tickets.createdAt, start), lt(tickets.createdAt, end)))
    .groupBy(tickets.kind, tickets.category, tickets.source, statusAtEnd)
    .all();
  // the day's rows are replaced whole, so a re-run never doubles them
  db.transaction((tx) => {
    tx.delete(dailyTicketReport).where(eq(dailyTicketReport.day, day)).run();
    if (counts.length) tx.insert(dailyTicketReport).values(counts.map((c) => ({ day, ...c, createdAt: now }))).run();
  });
  return { day, tickets: counts.reduce((n, c) => n + c.count, 0), rows: counts.length };
}
