import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CALENDAR_DIR, checkCalendarYear, fileToNotice, loadCalendarYears, type CalendarYear } from '../../src/calendar/year-file.js';
import { createCalendar } from '../../src/calendar/calendar.js';

const real2026 = (): CalendarYear => JSON.parse(readFileSync(new URL('2026.json', CALENDAR_DIR), 'utf8'));

t.test('the shipped files load, each with its State Council notice', async (t) => {
  const years = loadCalendarYears();
  t.same(years.map((y) => y.year), [2025, 2026]);
  t.match(years[0].source, { documentNumber: '国办发明电〔2024〕12号', published: '2024-11-12', title: /2025年部分节假日安排/ });
  t.match(years[1].source, { documentNumber: '国办发明电〔2025〕7号', published: '2025-11-04', title: /2026年部分节假日安排/ });
});

t.test('a bad file is refused with its name and the field at fault', async (t) => {
  const refused = (edit: (y: CalendarYear & Record<string, unknown>) => void, message: RegExp, what: string) => {
    const y = real2026() as CalendarYear & Record<string, unknown>;
    edit(y);
    t.throws(() => checkCalendarYear(y, 'calendar/2026.json', 2026), { name: 'CalendarDataError', message }, what);
  };
  refused((y) => (y.year = 2027), /^calendar\/2026\.json: year: is 2027/, 'year differs from the file name');
  refused((y) => delete (y.source as Partial<CalendarYear['source']>).documentNumber, /calendar\/2026\.json: source: .*documentNumber/, 'notice number missing');
  refused((y) => (y.holidays[1].from = '2026-2-15'), /holidays\.1\.from: must match pattern/, 'date not YYYY-MM-DD');
  refused((y) => (y.holidays[1].to = '2026-02-30'), /holidays\[1\]\.to: "2026-02-30" is not a real date/, 'no such date');
  refused((y) => (y.holidays[1].days = 8), /holidays\[1\]\.days: says 8 but 2026-02-15\.\.2026-02-23 is 9 days/, 'day count typo');
  refused((y) => (y.holidays[0].from = '2027-01-01'), /holidays\[0\]\.from: 2027-01-01 is outside 2026/, 'date in another year');
  refused((y) => (y.makeUpWorkdays[0].date = '2026-01-05'), /makeUpWorkdays\[0\]\.date: 2026-01-05 is a weekday/, 'make-up day on a weekday');
  refused((y) => (y.makeUpWorkdays[0].for = '除夕'), /makeUpWorkdays\[0\]\.for: "除夕" is not one of this file's holidays/, 'make-up day for an unknown holiday');
  refused((y) => (y.makeUpWorkdays[1].date = '2026-02-15'), /makeUpWorkdays\[1\]: 2026-02-15 is already listed at holidays\[1\]/, 'a day both off and worked');
  refused((y) => (y.holidaze = []), /must not have additional properties \(holidaze\)/, 'unknown field');
  t.ok(checkCalendarYear(real2026(), 'calendar/2026.json', 2026), 'the real file passes');
  // a New Year holiday may start in the December before
  const early = real2026();
  early.holidays[0] = { name: '元旦', from: '2025-12-31', to: '2026-01-03', days: 4 };
  t.ok(checkCalendarYear(early, 'calendar/2026.json', 2026), 'December of the year before is allowed');
});

t.test('the folder: file names, JSON, and files that disagree', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-calendar-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const url = pathToFileURL(`${dir}/`);
  writeFileSync(join(dir, 'README.md'), 'not data: ignored');
  writeFileSync(join(dir, '2026.json'), JSON.stringify(real2026()));
  t.same(loadCalendarYears(url).map((y) => y.year), [2026], 'only <year>.json files are read');

  writeFileSync(join(dir, 'holidays.json'), '{}');
  t.throws(() => loadCalendarYears(url), { message: /calendar\/holidays\.json: a calendar file must be named <year>\.json/ });
  rmSync(join(dir, 'holidays.json'));

  writeFileSync(join(dir, '2025.json'), '{ "year": 2025,');
  t.throws(() => loadCalendarYears(url), { message: /calendar\/2025\.json: not valid JSON/ });
  rmSync(join(dir, '2025.json'));

  t.throws(() => loadCalendarYears(pathToFileURL(`${dir}/missing/`)), { message: /cannot read the calendar folder/ });

  // 2026's file puts 元旦 from 2025-12-31; 2025's file already lists that day
  const y2026 = real2026();
  y2026.holidays[0] = { name: '元旦', from: '2025-12-31', to: '2026-01-03', days: 4 };
  const y2025: CalendarYear = { year: 2025, source: y2026.source, holidays: [{ name: '跨年', from: '2025-12-31', to: '2025-12-31', days: 1 }], makeUpWorkdays: [] };
  t.throws(() => createCalendar([y2025, y2026].map(fileToNotice)), { name: 'CalendarDataError', message: 'the 2025 and 2026 notices both list 2025-12-31' });
});
