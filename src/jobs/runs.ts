// Which period each job last completed (job_runs), and the days a daily job still owes.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { shanghaiDate } from '../shared/time.js';
import { jobRuns } from './schema.js';

/** A run missed for longer than this is not caught up day by day (the statistics module can recompute). */
export const MAX_CATCH_UP_DAYS = 31;

export function lastPeriod(db: Db, job: string): string | null {
  return db.select().from(jobRuns).where(eq(jobRuns.job, job)).get()?.lastPeriod ?? null;
}

export function recordRun(db: Db, job: string, period: string, now: number, result: unknown): void {
  db.insert(jobRuns)
    .values({ job, lastPeriod: period, lastRunAt: now, lastResult: result ?? null })
    .onConflictDoUpdate({ target: jobRuns.job, set: { lastPeriod: period, lastRunAt: now, lastResult: result ?? null } })
    .run();
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The finished Shanghai days after `last` up to yesterday; a job never run owes yesterday only. */
export function daysOwed(last: string | null, now: number): string[] {
  const yesterday = addDays(shanghaiDate(now), -1);
  const earliest = addDays(yesterday, -(MAX_CATCH_UP_DAYS - 1));
  let day = last ? addDays(last, 1) : yesterday;
  if (day < earliest) day = earliest;
  const days: string[] = [];
  for (; day <= yesterday; day = addDays(day, 1)) days.push(day);
  return days;
}
