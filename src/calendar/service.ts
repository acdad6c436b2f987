// The notices in force: read from the database (seeded from calendar/*.json), loaded by
// an admin, and every open deadline that counted a changed day counted again, in the
// same transaction as the notice.
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { iso, shanghaiDate } from '../shared/time.js';
import { createCalendar, type NoticeDays, type WorkingCalendar } from './calendar.js';
import { datesBetween } from './dates.js';
import { checkNotice, nameNoticeDays, noticeRanges, type NoticeInput } from './notice.js';
import { provisionalHolidays, PROVISIONAL_RANGE } from './provisional.js';
import { NoticeRepository, type StoredNotice } from './repository.js';
import { installCalendar } from './working-days.js';
import { fileToNotice, loadCalendarYears, type CalendarYear } from './year-file.js';

/** What a loaded notice changed: the days whose status moved, and the calendar to count with. */
export interface NoticeChange {
  year: number;
  /** first and last day whose status (working or provisional) changed */
  from: string;
  to: string;
  calendar: WorkingCalendar;
  actor: Actor;
}

/** Runs inside the notice's transaction; returns how many tickets it changed. */
export type NoticeHook = (change: NoticeChange) => number;

export interface YearView {
  year: number;
  source: 'official' | 'provisional';
  /** every day off (放假, 补假) */
  holidays: string[];
  /** every 调休 make-up workday (a Saturday or Sunday worked) */
  workdays: string[];
  /** the same days grouped, with the holiday each belongs to */
  periods: Array<{ name: string | null; from: string; to: string; days: number }>;
  makeUpWorkdays: Array<{ date: string; name: string | null }>;
  title: string | null;
  documentNumber: string | null;
  loadedBy: string | null;
  loadedAt: string | null;
}

export interface NoticeBody extends NoticeInput {
  title?: string;
  documentNumber?: string;
}

export class CalendarService {
  private readonly repo: NoticeRepository;
  private readonly hooks: NoticeHook[] = [];
  private current: WorkingCalendar = createCalendar([]);

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.repo = new NoticeRepository(db);
  }

  /** Seeds the years of calendar/*.json the database lacks, then puts the stored notices in force. */
  start(files: CalendarYear[] = loadCalendarYears()): void {
    const at = this.now();
    for (const file of files) {
      this.repo.seed({ year: file.year, days: fileToNotice(file), document: file, loadedBy: `calendar/${file.year}.json`, loadedAt: at });
    }
    this.install(this.build(this.repo.all()));
  }

  calendar(): WorkingCalendar {
    return this.current;
  }

  onNoticeLoaded(hook: NoticeHook): void {
    this.hooks.push(hook);
  }

  /** The year-file shape of an official year (GET /api/calendar/:year). */
  document(year: number): CalendarYear | undefined {
    return this.repo.get(year)?.document;
  }

  /** A year as it stands: its notice, or the statutory rule's provisional days; undefined outside the rule's range. */
  describe(year: number): YearView | undefined {
    const stored = this.repo.get(year);
    if (stored) return view(stored.days, 'official', stored);
    if (year < PROVISIONAL_RANGE.from || year > PROVISIONAL_RANGE.to) return undefined;
    const days: NoticeDays = {
      year,
      holidays: provisionalHolidays(year)
        .flatMap((h) => [...h.days, ...h.madeUp].map((date) => ({ date, name: h.name })))
        .sort((a, b) => (a.date < b.date ? -1 : 1)),
      workdays: [],
    };
    return view(days, 'provisional', null);
  }

  /**
   * Loads a year's notice: checks it (a NoticeError names the bad date; nothing is
   * stored), stores it with who loaded it, counts again every open deadline over a
   * day whose status changed, and puts the new calendar in force, all or nothing.
   */
  loadNotice(year: number, body: NoticeBody, actor: Actor): { year: YearView; ticketsRecomputed: number } {
    const checked = checkNotice(year, body);
    const days = nameNoticeDays(year, checked);
    const others = this.repo.all().filter((r) => r.year !== year);
    const next = this.build([...others, { days } as StoredNotice]);
    const changed = datesBetween(`${year}-01-01`, `${year}-12-31`).filter((d) => {
      const a = this.current.dayStatus(d);
      const b = next.dayStatus(d);
      return a.working !== b.working || a.provisional !== b.provisional;
    });
    const at = this.now();
    const row: StoredNotice = { year, days, document: toDocument(year, days, body, at), loadedBy: actor.name, loadedAt: at };
    const ticketsRecomputed = this.db.transaction(() => {
      this.repo.put(row);
      if (!changed.length) return 0;
      const change: NoticeChange = { year, from: changed[0], to: changed[changed.length - 1], calendar: next, actor };
      return this.hooks.reduce((n, hook) => n + hook(change), 0);
    });
    this.install(next);
    return { year: view(days, 'official', row), ticketsRecomputed };
  }

  private build(rows: Pick<StoredNotice, 'days'>[]): WorkingCalendar {
    return createCalendar(rows.map((r) => r.days));
  }

  private install(calendar: WorkingCalendar): void {
    this.current = calendar;
    installCalendar(calendar);
  }
}

function view(days: NoticeDays, source: YearView['source'], stored: StoredNotice | null): YearView {
  return {
    year: days.year,
    source,
    holidays: days.holidays.map((h) => h.date),
    workdays: days.workdays.map((w) => w.date),
    periods: noticeRanges(days),
    makeUpWorkdays: days.workdays,
    title: stored?.document.source.title ?? null,
    documentNumber: stored?.document.source.documentNumber ?? null,
    loadedBy: stored?.loadedBy ?? null,
    loadedAt: iso(stored?.loadedAt),
  };
}

/** A loaded notice in the year-file shape, so GET /api/calendar/:year answers for it too. */
function toDocument(year: number, days: NoticeDays, body: NoticeBody, at: number): CalendarYear {
  return {
    year,
    source: {
      title: body.title?.trim() || `国务院办公厅关于${year}年部分节假日安排的通知`,
      documentNumber: body.documentNumber?.trim() || '（管理员录入）',
      published: shanghaiDate(at),
    },
    holidays: noticeRanges(days).map((r) => ({ name: r.name ?? '节假日', from: r.from, to: r.to, days: r.days })),
    makeUpWorkdays: days.workdays.map((w) => ({ date: w.date, for: w.name ?? '节假日' })),
  };
}
