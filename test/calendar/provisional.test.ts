// The statutory rule for a year with no notice: lunar-typescript's dates checked against
// the notices we have (2025, 2026) and against a second library (chinese-days) for the
// years ahead, and 第六条's make-up days worked out by hand for 2027.
import t from 'tap';
import chineseDays from 'chinese-days';
import { createCalendar } from '../../src/calendar/calendar.js';
import { datesBetween } from '../../src/calendar/dates.js';
import { provisionalHolidays, statutoryDays } from '../../src/calendar/provisional.js';
import { fileToNotice, loadCalendarYears } from '../../src/calendar/year-file.js';

const official = createCalendar(loadCalendarYears().map(fileToNotice));

for (const year of [2025, 2026]) {
  t.test(`every statutory day of ${year} is off in that year's notice, under the same holiday`, async (t) => {
    for (const h of statutoryDays(year)) {
      for (const d of h.days) t.match(official.dayStatus(d), { working: false, reason: 'holiday', holiday: h.name, provisional: false }, `${h.name} ${d}`);
    }
  });
}

t.test('the statutory days of 2025 and 2026, as the notices date them', async (t) => {
  const byName = (year: number) => Object.fromEntries(statutoryDays(year).map((h) => [h.name, h.days]));
  t.same(byName(2025), {
    元旦: ['2025-01-01'],
    春节: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'],
    清明节: ['2025-04-04'],
    劳动节: ['2025-05-01', '2025-05-02'],
    端午节: ['2025-05-31'],
    中秋节: ['2025-10-06'],
    国庆节: ['2025-10-01', '2025-10-02', '2025-10-03'],
  });
  t.same(byName(2026).春节, ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'], '除夕 2-16 (腊月廿九: 2026 has no 三十)');
  t.same(byName(2026).清明节, ['2026-04-05']);
  t.same(byName(2026).端午节, ['2026-06-19']);
  t.same(byName(2026).中秋节, ['2026-09-25']);
});

t.test('lunar-typescript agrees with chinese-days on every lunar date and 清明 up to 2050', async (t) => {
  const disagreements: string[] = [];
  for (let year = 2025; year <= 2050; year++) {
    for (const h of statutoryDays(year)) {
      const lunar = (d: string) => chineseDays.getLunarDate(d) as { lunarMon: number; lunarDay: number; isLeap: boolean };
      const ok = (() => {
        switch (h.name) {
          case '春节': {
            const [eve, first] = [lunar(h.days[0]), lunar(h.days[1])];
            // 除夕: the last day of 腊月, the day before 正月初一
            return eve.lunarMon === 12 && lunar(h.days[1]).lunarMon === 1 && first.lunarDay === 1 && h.days.slice(1).every((d, i) => lunar(d).lunarDay === i + 1);
          }
          case '端午节':
            return lunar(h.days[0]).lunarMon === 5 && lunar(h.days[0]).lunarDay === 5 && !lunar(h.days[0]).isLeap;
          case '中秋节':
            return lunar(h.days[0]).lunarMon === 8 && lunar(h.days[0]).lunarDay === 15 && !lunar(h.days[0]).isLeap;
          case '清明节': {
            const terms = chineseDays.getSolarTermsInRange(`${year}-04-01`, `${year}-04-10`) as Array<{ date: string; name: string; index: number }>;
            return terms.some((x) => x.name === '清明' && x.index === 1 && x.date === h.days[0]);
          }
          default:
            return true;
        }
      })();
      if (!ok) disagreements.push(`${year} ${h.name} ${h.days.join(',')}`);
    }
  }
  t.same(disagreements, []);
});

t.test('2027 by the rule: weekends, statutory days, and 第六条 make-up days', async (t) => {
  const h = Object.fromEntries(provisionalHolidays(2027).map((x) => [x.name, x]));
  // 除夕 Fri 2-5, 初一 Sat, 初二 Sun, 初三 Mon: two weekend days made up on Tue 2-9 and Wed 2-10
  t.same(h.春节, { name: '春节', days: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'], madeUp: ['2027-02-09', '2027-02-10'] });
  t.same(h.劳动节.madeUp, ['2027-05-03', '2027-05-04'], '5-1 Sat and 5-2 Sun made up Mon and Tue');
  t.same(h.国庆节.madeUp, ['2027-10-04', '2027-10-05'], '10-2 Sat and 10-3 Sun made up Mon and Tue');
  t.same(h.元旦.madeUp, [], '1-1 is a Friday');
  t.same(h.清明节, { name: '清明节', days: ['2027-04-05'], madeUp: [] });

  const calendar = createCalendar([]);
  const off = datesBetween('2027-01-01', '2027-12-31').filter((d) => !calendar.isWorkingDay(d));
  const weekends = datesBetween('2027-01-01', '2027-12-31').filter((d) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
  t.equal(weekends.length, 104);
  // 13 statutory days; 4 of them on weekends, each given back: 13 weekdays off besides weekends
  t.equal(off.length - weekends.length, 13);
  t.match(calendar.dayStatus('2027-02-09'), { working: false, reason: 'holiday', holiday: '春节', provisional: true });
  t.match(calendar.dayStatus('2027-02-11'), { working: true, reason: 'workday', provisional: true });
});

t.test('a statutory day on another holiday is given back too (中秋 on 国庆, 2028)', async (t) => {
  const h = Object.fromEntries(provisionalHolidays(2028).map((x) => [x.name, x]));
  t.same(h.中秋节.days, ['2028-10-03']);
  // 国庆: 10-1 Sun made up Wed 10-4; 中秋 on 10-3 (already off) made up Thu 10-5
  t.same(h.国庆节.madeUp, ['2028-10-04']);
  t.same(h.中秋节.madeUp, ['2028-10-05']);
});
