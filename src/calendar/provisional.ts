// A year the State Council has not published its notice for yet, computed by rule so
// deadlines keep working (DESIGN §4): weekends off, the statutory holidays of
// 《全国年节及纪念日放假办法》 (as revised in 2024), and 第六条: a statutory day that
// falls on a weekend is made up on the next working day. Lunar dates and 清明 come from
// lunar-typescript, never from a typed table. The notice, once loaded, replaces all this.
import { Lunar, Solar } from 'lunar-typescript';
import { isWeekend, nextDay } from './dates.js';

export interface StatutoryHoliday {
  name: string;
  /** the statutory days themselves (放假日) */
  days: string[];
  /** days off given back for statutory days that fell on a weekend or on another holiday (补假) */
  madeUp: string[];
}

/** lunar-typescript covers these years; outside them nothing is computed */
export const PROVISIONAL_RANGE = { from: 1901, to: 2099 } as const;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const fromSolar = (s: Solar) => ymd(s.getYear(), s.getMonth(), s.getDay());
const lunarDay = (year: number, month: number, day: number) => fromSolar(Lunar.fromYmd(year, month, day).getSolar());

/** The statutory days of a year, in calendar order (第二条 of the 2024 revision). */
export function statutoryDays(year: number): Array<{ name: string; days: string[] }> {
  // 除夕 is the day before 正月初一, whether 腊月 has 29 or 30 days
  const newYear = Lunar.fromYmd(year, 1, 1);
  const eve = fromSolar(newYear.next(-1).getSolar());
  const springDays = [eve, ...[0, 1, 2].map((i) => fromSolar(newYear.next(i).getSolar()))];
  // the lunar year that holds April is `year`; its 节气 table has that spring's 清明
  const qingming = fromSolar(Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明']);
  const list = [
    { name: '元旦', days: [ymd(year, 1, 1)] },
    { name: '春节', days: springDays },
    { name: '清明节', days: [qingming] },
    { name: '劳动节', days: [ymd(year, 5, 1), ymd(year, 5, 2)] },
    { name: '端午节', days: [lunarDay(year, 5, 5)] },
    { name: '中秋节', days: [lunarDay(year, 8, 15)] },
    { name: '国庆节', days: [ymd(year, 10, 1), ymd(year, 10, 2), ymd(year, 10, 3)] },
  ];
  return list.sort((a, b) => (a.days[0] < b.days[0] ? -1 : 1));
}

/**
 * The provisional holidays of a year: each statutory day is off; one that falls on a
 * Saturday or Sunday, or on a day already off for another holiday (中秋 on 国庆), is
 * given back on the next working day after that holiday (第六条). No 调休 make-up
 * workdays: only a notice moves work onto a weekend.
 */
export function provisionalHolidays(year: number): StatutoryHoliday[] {
  if (year < PROVISIONAL_RANGE.from || year > PROVISIONAL_RANGE.to) return [];
  const holidays = statutoryDays(year);
  const statutory = new Set(holidays.flatMap((h) => h.days));
  const off = new Set<string>();
  const out: StatutoryHoliday[] = [];
  for (const h of holidays) {
    let owed = 0;
    for (const d of h.days) {
      if (isWeekend(d) || off.has(d)) owed++;
      else off.add(d);
    }
    const madeUp: string[] = [];
    for (let d = h.days[h.days.length - 1]; owed > 0; ) {
      d = nextDay(d);
      // the next working day: not a weekend, not already off, not another holiday's own day
      if (isWeekend(d) || off.has(d) || statutory.has(d)) continue;
      off.add(d);
      madeUp.push(d);
      owed--;
    }
    out.push({ name: h.name, days: h.days, madeUp });
  }
  return out;
}
