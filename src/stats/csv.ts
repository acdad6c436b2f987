// CSV for spreadsheets (RFC 4180): CRLF lines, fields quoted when they hold a comma, a
// quote or a line break, quotes doubled; a UTF-8 BOM so Excel reads Chinese right.
import type { TicketCountRow } from './ticket-counts.js';

export const BOM = '\uFEFF';

/**
 * One field. A text starting with = + - @ (or a tab / CR) is what a spreadsheet runs as
 * a formula, so it gets a leading apostrophe (OWASP's CSV-injection advice); numbers are
 * written as they are.
 */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return BOM + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const DAILY_REPORT_HEADER = ['day', 'kind', 'category', 'status', 'source', 'count'] as const;

/** The daily report (src/jobs/daily-report.ts dailyReportRows) as CSV; null kind/category are empty fields. */
export function dailyReportCsv(day: string, rows: TicketCountRow[]): string {
  return toCsv(
    DAILY_REPORT_HEADER,
    rows.map((r) => [day, r.kind, r.category, r.status, r.source, r.count]),
  );
}
