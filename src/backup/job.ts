// The scheduled backup as the jobs plugin runs it: the app's own connection is the source.
import type { Services } from '../services.js';
import { runScheduledBackup } from './service.js';

export function scheduledBackup(s: Pick<Services, 'db' | 'config' | 'now'>) {
  const { backup, filesDir, recordingsDir, dbPath } = s.config;
  if (dbPath === ':memory:') return Promise.resolve({ skipped: 'in-memory database' });
  return runScheduledBackup({
    sqlite: s.db.$client,
    backupDir: backup.dir,
    retention: backup,
    areas: [{ area: 'attachments', dir: filesDir }, { area: 'recordings', dir: recordingsDir }],
    now: s.now(),
  }).then(({ file, bytes, ms, integrity, rows, files, fileBytes, removed }) => ({ file, bytes, ms, integrity, rows, files, fileBytes, removed }));
}
