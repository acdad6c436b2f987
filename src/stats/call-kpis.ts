// Call KPIs per queue, seat or Shanghai day, and calls per hour of one day (the wallboard's chart).
import { and, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { calls } from '../calls/schema.js';
import { daysOf, DAY_MS, type Period } from './period.js';

/**
 * Service level: answered by a seat within this many seconds of joining the queue, over
 * all answered calls. The same 20 s as the live queue stats (src/calls/queue-stats.ts).
 */
export const SERVICE_LEVEL_SECONDS = 20;
export const CALL_GROUPINGS = ['queue', 'seat', 'day'] as const;
export type CallGrouping = (typeof CALL_GROUPINGS)[number];

export interface CallKpis {
  /** every call that reached the hotline (same as the live stats' offered) */
  offered: number;
  /** a seat picked up (seatAnsweredAt) */
  answered: number;
  abandoned: number;
  voicemail: number;
  callback: number;
  /** average speed of answer: mean wait of answered calls, seconds (1 decimal) */
  asaSeconds: number | null;
  /** average handle time: mean talk of answered calls, seconds (1 decimal) */
  ahtSeconds: number | null;
  /** answered within SERVICE_LEVEL_SECONDS ÷ answered */
  serviceLevel: number | null;
}

const answered = sql`${calls.seatAnsweredAt} is not null`;
const counted = (cond: SQL) => sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`;
// sums and counts rather than averages, so the period's total is the sum of its groups (one scan)
const kpiColumns = {
  offered: sql<number>`count(*)`,
  answered: counted(answered),
  abandoned: counted(sql`${calls.outcome} = 'abandoned'`),
  voicemail: counted(sql`${calls.outcome} = 'voicemail'`),
  callback: counted(sql`${calls.outcome} = 'callback'`),
  withinSl: counted(sql`${answered} and ${calls.waitSeconds} <= ${SERVICE_LEVEL_SECONDS}`),
  waitSum: sql<number>`coalesce(sum(case when ${answered} then ${calls.waitSeconds} end), 0)`,
  waitN: counted(sql`${answered} and ${calls.waitSeconds} is not null`),
  talkSum: sql<number>`coalesce(sum(case when ${answered} then ${calls.talkSeconds} end), 0)`,
  talkN: counted(sql`${answered} and ${calls.talkSeconds} is not null`),
};
type Sums = { [K in keyof typeof kpiColumns]: number };
const SUM_KEYS = Object.keys(kpiColumns) as Array<keyof Sums>;
const zero = (): Sums => Object.fromEntries(SUM_KEYS.map((k) => [k, 0])) as Sums;
const numbers = (r: Record<keyof Sums, unknown>): Sums => Object.fromEntries(SUM_KEYS.map((k) => [k, Number(r[k] ?? 0)])) as Sums;

const mean = (sum: number, n: number) => (n ? Math.round((sum / n) * 10) / 10 : null);
function kpis(r: Sums): CallKpis {
  return {
    offered: r.offered,
    answered: r.answered,
    abandoned: r.abandoned,
    voicemail: r.voicemail,
    callback: r.callback,
    asaSeconds: mean(r.waitSum, r.waitN),
    ahtSeconds: mean(r.talkSum, r.talkN),
    serviceLevel: r.answered ? r.withinSl / r.answered : null,
  };
}

/** the Shanghai day (YYYY-MM-DD) a call started on */
const shanghaiDay = sql<string>`strftime('%Y-%m-%d', (${calls.startedAt} + 28800000) / 1000, 'unixepoch')`;
const inPeriod = (start: number, end: number) => and(gte(calls.startedAt, start), lt(calls.startedAt, end));

/**
 * KPIs of calls started in the period (calls_started_idx), per queue, seat or day. A call
 * records only the seat that answered it, so per seat offered = answered, and the row
 * with key null holds the calls no seat took (per queue: calls that never queued).
 * Per day every day of the period has a row, zeros included.
 */
export function callKpis(db: Db, p: Period, by: CallGrouping): { total: CallKpis; rows: Array<{ key: string | null } & CallKpis> } {
  const key = by === 'queue' ? sql<string | null>`${calls.queue}` : by === 'seat' ? sql<string | null>`${calls.seatId}` : shanghaiDay;
  const grouped = db
    .select({ key: key.as('kpi_key'), ...kpiColumns })
    .from(calls)
    .where(inPeriod(p.start, p.end))
    .groupBy(sql`kpi_key`)
    .orderBy(sql`kpi_key`)
    .all()
    .map((r) => ({ key: r.key, sums: numbers(r) }));
  const total = zero();
  for (const g of grouped) for (const k of SUM_KEYS) total[k] += g.sums[k];
  const rows = grouped.map((g) => ({ key: g.key, ...kpis(g.sums) }));
  if (by !== 'day') return { total: kpis(total), rows };
  const byDay = new Map(rows.map((r) => [r.key, r]));
  return { total: kpis(total), rows: daysOf(p).map((day) => byDay.get(day) ?? { key: day, ...kpis(zero()) }) };
}

export interface HourRow {
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
}

/** Calls started in each Shanghai hour of a day: always 24 rows, hour 0..23. */
export function callsPerHour(db: Db, dayStart: number): HourRow[] {
  // cast: a bound JS number arrives as a REAL, and REAL division would not give whole hours
  const hour = sql<number>`cast((${calls.startedAt} - ${dayStart}) / 3600000 as integer)`;
  const found = db
    .select({ hour: hour.as('hour_of_day'), offered: kpiColumns.offered, answered: kpiColumns.answered, abandoned: kpiColumns.abandoned })
    .from(calls)
    .where(inPeriod(dayStart, dayStart + DAY_MS))
    .groupBy(sql`hour_of_day`)
    .all();
  const byHour = new Map(found.map((r) => [Number(r.hour), r]));
  return Array.from({ length: 24 }, (_, h) => {
    const r = byHour.get(h);
    return { hour: h, offered: Number(r?.offered ?? 0), answered: Number(r?.answered ?? 0), abandoned: Number(r?.abandoned ?? 0) };
  });
}
