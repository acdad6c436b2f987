// The scheduled jobs as plain functions of the services and a clock: cron calls them,
// start-up calls them to catch up, tests call them with a clock of their own.
import type { Services } from '../services.js';
import { iso } from '../shared/time.js';
import { sampleCallbacks } from './callback-sampling.js';
import { buildDailyReport } from './daily-report.js';
import { storeTermDay } from '../stats/hot-terms.js';
import { sweepDeadlines, type SweepLog, type SweepResult } from './deadline-sweep.js';
import { daysOwed, lastPeriod, recordRun } from './runs.js';

type Deps = Pick<Services, 'db' | 'tickets' | 'now' | 'alerts'> & { log?: SweepLog };

/** Daily jobs, in the order they run for a day: the report, the callback draw, the day's hot-topic words. */
export const DAILY_JOBS = {
  'daily-report': (s: Deps, day: string, now: number) => buildDailyReport(s.db, day, now),
  'callback-sampling': (s: Deps, day: string, now: number) => sampleCallbacks(s, day, now),
  'hot-terms': (s: Deps, day: string, now: number) => storeTermDay(s.db, day, now),
} as const;
export type DailyJob = keyof typeof DAILY_JOBS;

export function runDeadlineSweep(s: Deps, now: number = s.now()): SweepResult {
  const result = sweepDeadlines(s, now);
  recordRun(s.db, 'deadline-sweep', iso(now)!, now, result);
  return result;
}

/** Runs `job` for every finished day it has not done yet (each day recorded as it completes). */
export function runDailyJob(s: Deps, job: DailyJob, now: number = s.now()): Array<{ day: string; result: unknown }> {
  return daysOwed(lastPeriod(s.db, job), now).map((day) => {
    const result = DAILY_JOBS[job](s, day, now);
    recordRun(s.db, job, day, now, result);
    return { day, result };
  });
}

/** Everything due at `now`: what start-up runs to catch up on runs missed while down. */
export function runDueJobs(s: Deps, now: number = s.now()) {
  return {
    sweep: runDeadlineSweep(s, now),
    daily: Object.fromEntries((Object.keys(DAILY_JOBS) as DailyJob[]).map((job) => [job, runDailyJob(s, job, now)])),
  };
}
