// The statistics' periods: whole Shanghai days, `from` and `to` inclusive.
import { Type } from 'typebox';
import { badRequest } from '../shared/errors.js';
import { shanghaiDate, shanghaiInstant } from '../shared/time.js';

export const DAY_MS = 86_400_000;
/** the longest period a statistics request may ask for (a leap year) */
export const MAX_PERIOD_DAYS = 366;

export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, a Shanghai calendar day' });
export const PeriodQuery = {
  from: Day,
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, the last Shanghai day counted (inclusive); default: from' })),
};

export interface Period {
  from: string;
  to: string;
  /** first instant (epoch ms) of `from` in Shanghai */
  start: number;
  /** first instant after `to` (exclusive) */
  end: number;
  days: number;
}

/** A real calendar day: the pattern alone lets 2026-02-30 through. */
export function checkDay(name: string, day: string): number {
  const start = shanghaiInstant(day);
  if (!Number.isFinite(start) || shanghaiDate(start) !== day) throw badRequest(`${name} 不是有效的日期：${day}（${name} is not a calendar day: ${day}）`);
  return start;
}

/** `from`..`to` (inclusive Shanghai days) as instants, or a 400 saying what is wrong. */
export function parsePeriod(from: string, to: string = from): Period {
  const start = checkDay('from', from);
  const end = checkDay('to', to) + DAY_MS;
  if (end <= start) throw badRequest(`from（${from}）晚于 to（${to}）`);
  const days = Math.round((end - start) / DAY_MS);
  if (days > MAX_PERIOD_DAYS) throw badRequest(`统计期共 ${days} 天，一次最多 ${MAX_PERIOD_DAYS} 天`);
  return { from, to, start, end, days };
}

/** Every Shanghai day of a period, in order. */
export function daysOf(p: Period): string[] {
  return Array.from({ length: p.days }, (_, i) => shanghaiDate(p.start + i * DAY_MS));
}

export const MonthQuery = { month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM (Shanghai); default: last month' })) };

/** A calendar month as a period; default the month before the one `now` is in. */
export function parseMonth(month: string | undefined, now: number): Period & { month: string } {
  let m = month;
  if (m === undefined) {
    const [y, mo] = shanghaiDate(now).split('-').map(Number);
    m = mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
  }
  const [y, mo] = m.split('-').map(Number);
  if (mo < 1 || mo > 12) throw badRequest(`month 不是有效的月份：${m}`);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { ...parsePeriod(`${m}-01`, `${m}-${String(last).padStart(2, '0')}`), month: m };
}
