// The daily report row set (第十九条): tickets created on a Shanghai day, counted by
// kind × category × status × source, the status as it stood at the end of that day
// (read from the append-only history, so a late run gives the same counts).
// dailyReportRows is the one computation: this job stores it, GET /api/stats/daily-report.csv serves it.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { shanghaiInstant } from '../shared/time.js';
import { countTickets, type TicketCountRow } from '../stats/ticket-counts.js';
import { dailyTicketReport } from './schema.js';

export interface ReportResult {
  day: string;
  tickets: number;
  rows: number;
}

/** The report's rows for a Shanghai day (YYYY-MM-DD), ordered by kind, category, status, source. */
export function dailyReportRows(db: Db, day: string): TicketCountRow[] {
  const start = shanghaiInstant(day);
  const end = start + 86_400_000;
  return countTickets(db, { start, end, statusAsOf: end });
}

export function buildDailyReport(db: Db, day: string, now: number): ReportResult {
  const counts = dailyReportRows(db, day);
  // the day's rows are replaced whole, so a re-run never doubles them
  db.transaction((tx) => {
    tx.delete(dailyTicketReport).where(eq(dailyTicketReport.day, day)).run();
    if (counts.length) tx.insert(dailyTicketReport).values(counts.map((c) => ({ day, ...c, createdAt: now }))).run();
  });
  return { day, tickets: counts.reduce((n, c) => n + c.count, 0), rows: counts.length };
}
