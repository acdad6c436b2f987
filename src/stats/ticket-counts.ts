// Ticket counts (第十九条). Two readings:
// - countTickets: kind × category × status × source, for the stored daily report job;
// - ticketFigures: kind × category × subcategory × source × unit × status as of the
//   period's end, read from the append-only history, so last month's figures never
//   change when re-run; every code comes with its Chinese label.
import { and, asc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { TaxonomyService } from '../taxonomy/service.js';
import { KINDS } from '../tickets/lifecycle.js';
import { tickets } from '../tickets/schema.js';
import { kindLabel, sourceLabel, statusLabel, unitLabel } from './labels.js';

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

/**
 * The status at `asOf`: a ticket not changed since (updated_at < asOf, and every change
 * writes an event) has it still; only the others read their last event before asOf.
 */
const statusAt = (asOf: number): SQL<string> =>
  sql<string>`case when "tickets"."updated_at" < ${asOf} then "tickets"."status" else coalesce((select e.to_status from ticket_events e where e.ticket_id = "tickets"."id" and e.at < ${asOf} and e.to_status is not null order by e.id desc limit 1), "tickets"."status") end`;

/** Tickets created in [start, end) (tickets_created_idx), grouped; ordered by kind, category, status, source. */
export function countTickets(db: Db, q: TicketCountQuery): TicketCountRow[] {
  const status: SQL<string> = q.statusAsOf === undefined ? sql<string>`${tickets.status}` : statusAt(q.statusAsOf);
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

export type UnitKind = 'department' | 'street' | 'center';
/** the unit that handles a ticket: its department, else its street, else the centre itself */
export const UNIT_KIND = sql<UnitKind>`case when "tickets"."department_id" is not null then 'department' when "tickets"."assigned_street" is not null then 'street' else 'center' end`;
export const UNIT = sql<string | null>`coalesce("tickets"."department_id", "tickets"."assigned_street")`;

export interface FigureRow {
  kind: string | null;
  kindLabel: string;
  category: string | null;
  categoryLabel: string | null;
  subcategory: string | null;
  subcategoryLabel: string | null;
  source: string;
  sourceLabel: string;
  unitKind: UnitKind;
  unit: string | null;
  unitLabel: string;
  status: string;
  statusLabel: string;
  count: number;
}

export interface TicketFigures {
  /** the instant statuses are read at: the period's end, or now if that is still ahead */
  statusAsOf: number;
  total: number;
  /** all five kinds (and unclassified), zeros included */
  kinds: Array<{ kind: string | null; label: string; count: number }>;
  rows: FigureRow[];
}

export function ticketFigures(db: Db, taxonomy: TaxonomyService, q: { start: number; end: number; now: number; kind?: string; source?: string }): TicketFigures {
  const asOf = Math.min(q.end, q.now);
  const filter = and(gte(tickets.createdAt, q.start), lt(tickets.createdAt, q.end), q.kind === undefined ? undefined : eq(tickets.kind, q.kind), q.source === undefined ? undefined : eq(tickets.source, q.source as 'phone'));
  type Raw = { kind: string | null; category: string | null; subcategory: string | null; source: string; departmentId: string | null; street: string | null; status: string; count: number };
  const cols = { kind: tickets.kind, category: tickets.category, subcategory: tickets.subcategory, source: tickets.source, departmentId: tickets.departmentId, street: tickets.assignedStreet };
  // most tickets of a past period have not changed since its end: their status now is the
  // one they had, grouped on plain columns of tickets_stats_idx; the few changed since read
  // their history one by one
  const unchanged: Raw[] = db
    .select({ ...cols, status: tickets.status, count: sql<number>`count(*)` })
    .from(tickets)
    .where(and(filter, lt(tickets.updatedAt, asOf)))
    .groupBy(sql`1, 2, 3, 4, 5, 6, 7`)
    .all();
  const changed: Raw[] = db
    .select({ ...cols, status: statusAt(asOf).as('report_status'), count: sql<number>`count(*)` })
    .from(tickets)
    .where(and(filter, gte(tickets.updatedAt, asOf)))
    .groupBy(sql`1, 2, 3, 4, 5, 6, 7`)
    .all();
  const cells = new Map<string, Raw & { unitKind: UnitKind; unit: string | null }>();
  for (const r of [...unchanged, ...changed]) {
    const unitKind: UnitKind = r.departmentId !== null ? 'department' : r.street !== null ? 'street' : 'center';
    const unit = r.departmentId ?? r.street;
    const k = JSON.stringify([r.kind, r.category, r.subcategory, r.source, unitKind, unit, r.status]);
    const c = cells.get(k);
    if (c) c.count += Number(r.count);
    else cells.set(k, { ...r, unitKind, unit, count: Number(r.count) });
  }
  const raw = [...cells.values()].sort((a, b) => {
    for (const f of ['kind', 'category', 'subcategory', 'source', 'unitKind', 'unit', 'status'] as const) {
      const x = a[f] ?? '';
      const y = b[f] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  const rows: FigureRow[] = raw.map((r) => ({
    kind: r.kind,
    kindLabel: kindLabel(r.kind),
    category: r.category,
    categoryLabel: taxonomy.label(r.category),
    subcategory: r.subcategory,
    subcategoryLabel: taxonomy.label(r.subcategory),
    source: r.source,
    sourceLabel: sourceLabel(r.source),
    unitKind: r.unitKind,
    unit: r.unit,
    unitLabel: unitLabel(r.unitKind, r.unit),
    status: r.status,
    statusLabel: statusLabel(r.status),
    count: Number(r.count),
  }));
  const byKind = new Map<string | null, number>([...KINDS.map((k) => [k, 0] as [string, number]), [null, 0]]);
  for (const r of rows) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.count);
  return {
    statusAsOf: asOf,
    total: rows.reduce((n, r) => n + r.count, 0),
    kinds: [...byKind.entries()].map(([kind, count]) => ({ kind, label: kindLabel(kind), count })),
    rows,
  };
}
