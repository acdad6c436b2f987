// One calendar/<year>.json file: a year's State Council holiday notice, as data.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import { datesBetween, isIsoDate, isWeekend } from './dates.js';
import { CalendarDataError } from './errors.js';
import type { NoticeDays } from './calendar.js';

/** calendar/ at the repo root, from both src/calendar and dist/calendar. */
export const CALENDAR_DIR = new URL('../../calendar/', import.meta.url);

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const NoticeSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, description: '国务院办公厅关于YYYY年部分节假日安排的通知' }),
    documentNumber: Type.String({ minLength: 1, description: 'e.g. 国办发明电〔2024〕12号' }),
    published: IsoDate,
    url: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const HolidaySchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    from: IsoDate,
    to: IsoDate,
    /** the notice's 共N天, checked against from..to to catch typos */
    days: Type.Integer({ minimum: 1 }),
    /** the notice's own sentence for this holiday */
    notice: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const MakeUpWorkdaySchema = Type.Object(
  {
    date: IsoDate,
    /** the holiday this 调休上班 day pays back */
    for: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const CalendarYearSchema = Type.Object(
  {
    year: Type.Integer({ minimum: 1949, maximum: 9999 }),
    source: NoticeSchema,
    holidays: Type.Array(HolidaySchema),
    makeUpWorkdays: Type.Array(MakeUpWorkdaySchema),
  },
  { additionalProperties: false },
);

export type CalendarYear = Static<typeof CalendarYearSchema>;

const FILE_NAME = /^(\d{4})\.json$/;

/** Reads and checks every calendar/<year>.json; any bad file stops the load. */
export function loadCalendarYears(dir: URL = CALENDAR_DIR): CalendarYear[] {
  const dirPath = fileURLToPath(dir);
  let names: string[];
  try {
    names = readdirSync(dirPath);
  } catch (err) {
    throw new CalendarDataError(`calendar: cannot read the calendar folder ${dirPath}: ${(err as Error).message}`);
  }
  const years: CalendarYear[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = `calendar/${name}`;
    const m = FILE_NAME.exec(name);
    if (!m) throw new CalendarDataError(`${file}: a calendar file must be named <year>.json, e.g. 2026.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    } catch (err) {
      throw new CalendarDataError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    years.push(checkCalendarYear(raw, file, Number(m[1])));
  }
  return years;
}

/**
 * Checks one year's data beyond its shape: real dates, inside the year (or the
 * December before, where a New Year holiday or its make-up day can fall),
 * ranges matching the notice's day count, make-up days on weekends, no day twice.
 */
export function checkCalendarYear(raw: unknown, file: string, expectedYear: number): CalendarYear {
  const errors = Value.Errors(CalendarYearSchema, raw);
  // TypeBox also reports each unknown key as "schema is false"; the additionalProperties entry says more.
  const shapeError = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (shapeError) {
    const field = shapeError.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(top level)';
    const extra = (shapeError.params as { additionalProperties?: string[] }).additionalProperties;
    throw new CalendarDataError(`${file}: ${field}: ${shapeError.message}${extra ? ` (${extra.join(', ')})` : ''}`);
  }
  const data = raw as CalendarYear;
  const bad = (field: string, why: string) => new CalendarDataError(`${file}: ${field}: ${why}`);

  if (data.year !== expectedYear) throw bad('year', `is ${data.year} but the file is for ${expectedYear}`);
  if (!isIsoDate(data.source.published)) throw bad('source.published', `"${data.source.published}" is not a real date`);

  const earliest = `${expectedYear - 1}-12-01`;
  const latest = `${expectedYear}-12-31`;
  const checkDate = (field: string, date: string) => {
    if (!isIsoDate(date)) throw bad(field, `"${date}" is not a real date`);
    if (date < earliest || date > latest) throw bad(field, `${date} is outside ${expectedYear}`);
  };

  const seen = new Map<string, string>();
  const claim = (field: string, date: string) => {
    const earlier = seen.get(date);
    if (earlier) throw bad(field, `${date} is already listed at ${earlier}`);
    seen.set(date, field);
  };

  data.holidays.forEach((h, i) => {
    const at = `holidays[${i}]`;
    checkDate(`${at}.from`, h.from);
    checkDate(`${at}.to`, h.to);
    if (h.to < h.from) throw bad(`${at}.to`, `${h.to} is before from ${h.from}`);
    const dates = datesBetween(h.from, h.to);
    if (dates.length !== h.days) throw bad(`${at}.days`, `says ${h.days} but ${h.from}..${h.to} is ${dates.length} days`);
    for (const d of dates) claim(at, d);
  });

  const holidayNames = new Set(data.holidays.map((h) => h.name));
  data.makeUpWorkdays.forEach((w, i) => {
    const at = `makeUpWorkdays[${i}]`;
    checkDate(`${at}.date`, w.date);
    // 调休上班 always moves work onto a Saturday or Sunday; a weekday here is a typo.
    if (!isWeekend(w.date)) throw bad(`${at}.date`, `${w.date} is a weekday; a make-up workday is a Saturday or Sunday`);
    if (!holidayNames.has(w.for)) throw bad(`${at}.for`, `"${w.for}" is not one of this file's holidays`);
    claim(at, w.date);
  });

  return data;
}

/** A year file as the calendar's days: each holiday range spelled out day by day. */
export function fileToNotice(file: CalendarYear): NoticeDays {
  return {
    year: file.year,
    holidays: file.holidays.flatMap((h) => datesBetween(h.from, h.to).map((date) => ({ date, name: h.name }))),
    workdays: file.makeUpWorkdays.map((w) => ({ date: w.date, name: w.for })),
  };
}
