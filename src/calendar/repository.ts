// Stored holiday notices (calendar_years): the only SQL of the calendar feature.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { calendarYears } from './schema.js';

export type StoredNotice = typeof calendarYears.$inferSelect;

export class NoticeRepository {
  constructor(private readonly db: Db) {}

  all(): StoredNotice[] {
    return this.db.select().from(calendarYears).orderBy(asc(calendarYears.year)).all();
  }

  get(year: number): StoredNotice | undefined {
    return this.db.select().from(calendarYears).where(eq(calendarYears.year, year)).get();
  }

  /** a seeded year never overwrites one already stored (an admin's correction stays) */
  seed(row: StoredNotice): boolean {
    return this.db.insert(calendarYears).values(row).onConflictDoNothing().run().changes > 0;
  }

  put(row: StoredNotice): void {
    this.db
      .insert(calendarYears)
      .values(row)
      .onConflictDoUpdate({ target: calendarYears.year, set: { days: row.days, document: row.document, loadedBy: row.loadedBy, loadedAt: row.loadedAt } })
      .run();
  }
}
