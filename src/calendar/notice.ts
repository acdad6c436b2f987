// A State Council holiday notice as an admin loads it (PUT /api/calendar/years/:year):
// two lists of dates, checked before anything is stored, then named after the
// statutory holidays they belong to so the desk and the history can say 春节, 国庆节…
import { HttpError } from '../shared/errors.js';
import type { NoticeDays } from './calendar.js';
import { datesBetween, isIsoDate, isWeekend, nextDay } from './dates.js';
import { statutoryDays } from './provisional.js';

export interface NoticeInput {
  holidays: string[];
  workdays: string[];
}

/** A bad notice: 400 naming the field and the date, nothing stored. */
export class NoticeError extends HttpError {
  constructor(
    readonly field: string,
    readonly date: string | null,
    message: string,
  ) {
    super(400, 'bad_request', message, { field, date });
    this.name = 'NoticeError';
  }
}

/**
 * Checks a notice for `year`: every date real and inside that year, none listed twice,
 * none both a holiday and a make-up workday, every make-up workday a Saturday or Sunday
 * (调休 moves work onto a weekend; a weekday there is a typing slip).
 */
export function checkNotice(year: number, input: NoticeInput): NoticeInput {
  const seen = new Map<string, string>();
  const check = (list: 'holidays' | 'workdays') =>
    input[list].forEach((date, i) => {
      const field = `${list}[${i}]`;
      if (!isIsoDate(date)) throw new NoticeError(field, date, `${field}：“${date}”不是真实的日期（格式 YYYY-MM-DD）`);
      if (!date.startsWith(`${year}-`)) throw new NoticeError(field, date, `${field}：${date} 不在 ${year} 年内`);
      const earlier = seen.get(date);
      if (earlier) {
        const both = earlier.startsWith(list) ? '重复列出' : '不能既是放假日又是调休上班日';
        throw new NoticeError(field, date, `${field}：${date} ${both}（已见于 ${earlier}）`);
      }
      if (list === 'workdays' && !isWeekend(date)) throw new NoticeError(field, date, `${field}：${date} 是工作日（周一至周五），调休上班日应为周六或周日`);
      seen.set(date, field);
    });
  check('holidays');
  check('workdays');
  return { holidays: [...input.holidays].sort(), workdays: [...input.workdays].sort() };
}

/**
 * Names each day off after the statutory holiday its run of days holds (a run of
 * consecutive days off, weekends included), or the nearest one; and each make-up
 * workday after the nearest run.
 */
export function nameNoticeDays(year: number, input: NoticeInput): NoticeDays {
  const statutory = statutoryDays(year);
  const holidaySet = new Set(input.holidays);
  const runs: string[][] = [];
  for (const d of input.holidays) {
    const run = runs[runs.length - 1];
    if (run && gapIsWeekend(run[run.length - 1], d, holidaySet)) run.push(d);
    else runs.push([d]);
  }
  const nameOf = (run: string[]): string | null => {
    const holds = statutory.find((h) => h.days.some((d) => d >= run[0] && d <= run[run.length - 1]));
    return holds?.name ?? nearest(run[0], statutory.map((h) => ({ at: h.days[0], name: h.name })));
  };
  const named = runs.map((run) => ({ run, name: nameOf(run) }));
  return {
    year,
    holidays: named.flatMap(({ run, name }) => run.map((date) => ({ date, name }))),
    workdays: input.workdays.map((date) => ({ date, name: nearest(date, named.map((r) => ({ at: r.run[0], name: r.name }))) })),
  };
}

/** `b` follows `a` with only weekend days between them */
function gapIsWeekend(a: string, b: string, off: Set<string>): boolean {
  for (let d = nextDay(a); d < b; d = nextDay(d)) if (!isWeekend(d) && !off.has(d)) return false;
  return true;
}

function nearest(date: string, points: Array<{ at: string; name: string | null }>): string | null {
  let best: { gap: number; name: string | null } | null = null;
  for (const p of points) {
    const gap = Math.abs(Date.parse(p.at) - Date.parse(date));
    if (!best || gap < best.gap) best = { gap, name: p.name };
  }
  return best?.name ?? null;
}

/** The days of a notice grouped back into ranges, as calendar/<year>.json writes them. */
export function noticeRanges(days: NoticeDays): Array<{ name: string | null; from: string; to: string; days: number }> {
  const out: Array<{ name: string | null; from: string; to: string; days: number }> = [];
  for (const h of days.holidays) {
    const last = out[out.length - 1];
    if (last && last.name === h.name && nextDay(last.to) === h.date) {
      last.to = h.date;
      last.days = datesBetween(last.from, last.to).length;
    } else out.push({ name: h.name, from: h.date, to: h.date, days: 1 });
  }
  return out;
}
