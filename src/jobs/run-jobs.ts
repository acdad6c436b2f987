// The scheduled jobs as plain functions of the services and a clock: cron calls them,
// start-up calls them to catch up, tests call them with a clock of their own.
import type { Services } from '../services.js';
import { iso } from '../shared/time.js';
import { sampleCallbacks } from './callback-sampling.js';
import { buildDailyReport } from './daily-report.js';
import { storeTermDay } from '../stats/hot-terms.js';
import { sweepDeadlines, type SweepLog, type SweepResult } from './deadline-sweep.js';
import { daysOwed, lastPeriod, recordRun } from './runs.js';
import type { Config } from '../config.js';
import { drawQualitySample, QUALITY_SAMPLING } from '../quality/draw.js';
import { RecordingRepository } from '../recordings/repository.js';
import { runRecordingRetention, type RetentionResult } from '../recordings/retention.js';
import { shanghaiDate } from '../shared/time.js';

type Deps = Pick<Services, 'db' | 'tickets' | 'now' | 'alerts'> & { log?: SweepLog; config?: Pick<Config, 'quality'> };

/** Daily jobs, in the order they run for a day: the report, the callback draw, the day's hot-topic words. */
export const DAILY_JOBS = {
  'daily-report': (s: Deps, day: string, now: number) => buildDailyReport(s.db, day, now),
  'callback-sampling': (s: Deps, day: string, now: number) => sampleCallbacks(s, day, now),
  'hot-terms': (s: Deps, day: string, now: number) => storeTermDay(s.db, day, now),
  // quality inspection: the day's answered calls drawn per seat (src/quality/draw.ts)
  'quality-draw': (s: Deps, day: string, now: number) => drawQualitySample(s.db, day, now, s.config?.quality ?? QUALITY_SAMPLING),
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

/**
 * Recordings past their retention are deleted from Asterisk (src/recordings/retention.ts).
 * Asynchronous (each deletion is an ARI request), so it runs beside the daily jobs rather
 * than among them; its run is recorded in job_runs like theirs.
 */
export async function runRetentionJob(s: Pick<Services, 'db' | 'now' | 'recordingStore' | 'config'> & { log?: { warn(obj: object, msg: string): void } }, now: number = s.now()): Promise<RetentionResult> {
  const result = await runRecordingRetention({ repo: new RecordingRepository(s.db), store: s.recordingStore, retentionDays: s.config.recordings.retentionDays, log: s.log }, now);
  recordRun(s.db, 'recording-retention', shanghaiDate(now), now, result);
  return result;
}
