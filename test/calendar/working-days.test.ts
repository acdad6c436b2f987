import t from 'tap';
import { addWorkingDays, deadlineAfter, isWorkingDay } from '../../src/calendar/working-days.js';
import { createCalendar } from '../../src/calendar/calendar.js';
import { fileToNotice, loadCalendarYears } from '../../src/calendar/year-file.js';
import { CalendarYearMissingError } from '../../src/calendar/errors.js';
import { HttpError } from '../../src/shared/errors.js';

/** The instant of a Shanghai wall-clock time, written out in full for readability. */
const shanghai = (local: string) => Date.parse(`${local}+08:00`);

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

t.test('2026 Spring Festival: 2/15–2/23 off, Saturdays 2/14 and 2/28 worked', async (t) => {
  t.equal(isWorkingDay('2026-02-13'), true, 'Friday before the holiday');
  t.equal(isWorkingDay('2026-02-14'), true, 'Saturday make-up workday');
  for (const d of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23']) t.equal(isWorkingDay(d), false, `${d} is 春节`);
  t.equal(isWorkingDay('2026-02-24'), true, 'back to work');
  t.equal(isWorkingDay('2026-02-28'), true, 'second make-up Saturday');

  t.equal(addWorkingDays('2026-02-12', 1), '2026-02-13');
  t.equal(addWorkingDays('2026-02-12', 2), '2026-02-14', 'the make-up Saturday counts');
  t.equal(addWorkingDays('2026-02-12', 3), '2026-02-24', 'the nine holiday days are skipped');
  t.equal(addWorkingDays('2026-02-16', 1), '2026-02-24', 'a ticket received during the holiday');
  // routed ticket answered "within 10 working days" of 2/24: 2/28 (Saturday) is one of them
  t.equal(addWorkingDays('2026-02-24', 10), '2026-03-09');
});

t.test('2026 National Day: 中秋 9/25–27 and 国庆 10/1–7 off, 9/20 and 10/10 worked', async (t) => {
  t.equal(isWorkingDay('2026-09-20'), true, 'Sunday make-up workday');
  t.equal(isWorkingDay('2026-09-25'), false, '中秋节 Friday');
  t.equal(isWorkingDay('2026-10-07'), false, 'last 国庆 day, a Wednesday');
  t.equal(isWorkingDay('2026-10-10'), true, 'Saturday make-up workday');
  t.equal(isWorkingDay('2026-10-11'), false, 'an ordinary Sunday');

  t.equal(addWorkingDays('2026-09-18', 1), '2026-09-20', 'Friday → the make-up Sunday');
  t.equal(addWorkingDays('2026-09-24', 1), '2026-09-28', 'over 中秋');
  t.equal(addWorkingDays('2026-09-30', 1), '2026-10-08', 'over 国庆');
  t.equal(addWorkingDays('2026-09-30', 3), '2026-10-10');
  t.equal(addWorkingDays('2026-09-30', 4), '2026-10-12');
  t.equal(addWorkingDays('2026-09-28', 10), '2026-10-16', 'a supervised ticket opened before the holiday');
});

t.test('the start day never counts (期间开始之日不计算在内)', async (t) => {
  t.equal(addWorkingDays('2026-03-02', 1), '2026-03-03', 'a Monday start gives Tuesday');
  t.equal(addWorkingDays('2026-02-14', 1), '2026-02-24', 'a make-up workday start does not count either');
  t.equal(addWorkingDays('2026-03-06', 1), '2026-03-09', 'Friday → Monday');
  t.equal(addWorkingDays('2026-03-02', 0), '2026-03-02', '0 days is the same day');
  t.equal(addWorkingDays('2026-02-16', 0), '2026-02-16', '0 days is the same day, even on a holiday');
});

t.test('deadlineAfter: end of the Nth working day, Shanghai time', async (t) => {
  const end = (date: string) => shanghai(`${date}T23:59:59.999`);
  t.equal(deadlineAfter(shanghai('2026-02-13T10:00:00'), 2), end('2026-02-24'), 'routed within 2 working days');
  t.equal(deadlineAfter(shanghai('2026-02-13T10:00:00'), 2), Date.parse('2026-02-24T15:59:59.999Z'));
  t.equal(deadlineAfter(shanghai('2026-09-30T23:30:00'), 1), end('2026-10-08'));
  // 00:30 on 1 October in Shanghai is still 30 September in UTC: Shanghai's date decides
  t.equal(deadlineAfter(shanghai('2026-10-01T00:30:00'), 1), end('2026-10-08'));
  t.equal(deadlineAfter(shanghai('2026-10-01T00:30:00'), 0), end('2026-10-01'));
});

t.test('a year with no notice is counted by the statutory rule, marked provisional', async (t) => {
  const err = thrownBy(() => isWorkingDay('2150-03-02'));
  t.ok(err instanceof CalendarYearMissingError, 'beyond the lunar calendar: a typed error');
  t.ok(err instanceof HttpError, 'an HttpError, so routes turn it into a 4xx');
  t.match(err, { year: 2150, statusCode: 422, code: 'calendar_year_missing', message: /2150/ });

  // a calendar holding only 2026: a deadline running into 2027 is counted, provisionally
  const only2026 = createCalendar(loadCalendarYears().filter((y) => y.year === 2026).map(fileToNotice));
  t.same(only2026.walkWorkingDays('2026-12-30', 1), { date: '2026-12-31', provisional: false });
  t.same(only2026.walkWorkingDays('2026-12-30', 2), { date: '2027-01-04', provisional: true }, '2027-01-01 元旦 off by rule');
  t.match(only2026.dayStatus('2027-01-01'), { working: false, reason: 'holiday', holiday: '元旦', provisional: true });
  t.match(only2026.dayStatus('2025-06-03'), { working: true, provisional: true });

  // the start day never counts, so its year need not be known
  t.equal(addWorkingDays('2024-12-31', 1), '2025-01-02', '2025-01-01 元旦 is skipped');
});

t.test('bad input is a 400', async (t) => {
  const bad = { statusCode: 400, code: 'bad_request' };
  t.throws(() => addWorkingDays('2026-02-30', 1), bad, 'not a real date');
  t.throws(() => addWorkingDays('2026-2-3', 1), bad, 'not YYYY-MM-DD');
  t.throws(() => addWorkingDays('2026-03-02', -1), bad, 'negative days');
  t.throws(() => addWorkingDays('2026-03-02', 1.5), bad, 'fractional days');
  t.throws(() => addWorkingDays('2026-03-02', Number.NaN), bad);
  t.throws(() => isWorkingDay('yesterday'), bad);
  t.throws(() => deadlineAfter(Number.NaN, 1), bad);
});
