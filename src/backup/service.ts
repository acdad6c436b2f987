// A full backup (database + files manifest), the scheduled one with its retention, and
// the check of what is kept. Used by the job (src/jobs/plugin.ts) and by the CLI.
import type Database from 'better-sqlite3';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { shanghaiDate } from '../shared/time.js';
import { backupFiles, writeManifest, type FileArea } from './files.js';
import { backupName, chooseKept, type Retention } from './retention.js';
import { backupDatabase, type BackupResult } from './snapshot.js';

export interface FullBackup extends Omit<BackupResult, 'file'> {
  file: string;
  manifest: string;
  files: number;
  fileBytes: number;
}

/** The database into `target`, the files listed (and stored) beside it. */
export async function backupAll(source: Database.Database, target: string, areas: FileArea[], filesStoreDir: string): Promise<FullBackup> {
  const db = await backupDatabase(source, target);
  const entries = await backupFiles(areas, filesStoreDir);
  const manifest = await writeManifest(target, entries);
  return { ...db, manifest, files: entries.length, fileBytes: entries.reduce((n, e) => n + e.bytes, 0) };
}

export interface ScheduledBackupDeps {
  sqlite: Database.Database;
  backupDir: string;
  retention: Retention;
  areas: FileArea[];
  now: number;
}

/** Today's backup (Shanghai day) into BACKUP_DIR, then the copies past retention removed. */
export async function runScheduledBackup(d: ScheduledBackupDeps): Promise<FullBackup & { removed: string[] }> {
  mkdirSync(d.backupDir, { recursive: true });
  const result = await backupAll(d.sqlite, join(d.backupDir, backupName(shanghaiDate(d.now))), d.areas, d.backupDir);
  const { remove } = chooseKept(readdirSync(d.backupDir), d.retention);
  for (const name of remove) {
    rmSync(join(d.backupDir, name), { force: true });
    rmSync(join(d.backupDir, `${name}.files.json`), { force: true });
  }
  return { ...result, removed: remove };
}
