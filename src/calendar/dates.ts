// Calendar dates as plain 'YYYY-MM-DD' strings: no time zone, no clock, just days.
import { badRequest } from '../shared/errors.js';

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Is this a real calendar date written YYYY-MM-DD (so not 2026-02-30)? */
export function isIsoDate(value: string): boolean {
  const m = DATE_SHAPE.exec(value);
  if (!m) return false;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().slice(0, 10) === value;
}

/** Bad input from a caller of the calendar: a clear 400. */
export function assertIsoDate(value: string, field = 'date'): void {
  if (!isIsoDate(value)) throw badRequest(`${field} 须为 YYYY-MM-DD 格式的日期，收到「${value}」`);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const d = weekdayOf(date);
  return d === 0 || d === 6;
}

export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) out.push(d);
  return out;
}
