import fp from 'fastify-plugin';
import cron, { type ScheduledTask } from 'node-cron';
import { HOTLINE_TZ } from '../shared/time.js';
import { scheduledBackup } from '../backup/job.js';
import { runDailyJob, runDeadlineSweep, runDueJobs, runRetentionJob, DAILY_JOBS, type DailyJob } from './run-jobs.js';

/**
 * Scheduled work on Shanghai time (DESIGN §4): the deadline sweep every 10 minutes,
 * the daily jobs checked hourly (each does only the days it still owes, so a failed
 * or missed run is redone at the next check). Start-up catches up first.
 */
export default fp(
  async (app) => {
    // the jobs log what they skip through the app's logger
    const s = { ...app.services, log: app.log };
    const running = new Set<string>();
    // never two runs of one job at once, whatever triggers them (cron, start-up)
    const exclusive = (name: string, work: () => unknown) => async () => {
      if (running.has(name)) return app.log.warn({ job: name }, 'job still running; this run skipped');
      running.add(name);
      try {
        // awaited: the backup is asynchronous (SQLite's online backup copies in steps)
        const result = await work();
        app.log.info({ job: name, result }, 'job done');
      } catch (err) {
        app.log.error({ err, job: name }, 'job failed; it will be retried at its next run');
      } finally {
        running.delete(name);
      }
    };

    const options = { timezone: HOTLINE_TZ, noOverlap: true };
    const tasks: ScheduledTask[] = [
      cron.createTask('*/10 * * * *', exclusive('deadline-sweep', () => runDeadlineSweep(s)), { ...options, name: 'deadline-sweep' }),
      ...(Object.keys(DAILY_JOBS) as DailyJob[]).map((job, i) =>
        cron.createTask(`${5 + i * 5} * * * *`, exclusive(job, () => runDailyJob(s, job)), { ...options, name: job }),
      ),
      // the online backup into BACKUP_DIR with its retention (src/backup)
      cron.createTask(s.config.backup.cron, exclusive('backup', () => scheduledBackup(s)), { ...options, name: 'backup' }),
      // recordings past RECORDING_RETENTION_DAYS, nightly before the backup lists the folder
      cron.createTask('0 2 * * *', exclusive('recording-retention', () => runRetentionJob(s)), { ...options, name: 'recording-retention' }),
    ];

    app.addHook('onReady', async () => {
      await exclusive('catch-up', () => runDueJobs(s))();
      for (const t of tasks) await t.start();
    });
    app.addHook('onClose', async () => {
      for (const t of tasks) await t.destroy();
    });
  },
  { name: 'jobs' },
);
