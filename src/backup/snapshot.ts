// One online backup of the database: SQLite's backup API (better-sqlite3's backup()),
// which copies a consistent snapshot while the server keeps writing, into a temporary
// file renamed into place only once the copy passes PRAGMA integrity_check.
import Database from 'better-sqlite3';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BackupCheck {
  integrity: string;
  /** rows per table of the copy, logged with every backup */
  rows: Record<string, number>;
}

export interface BackupResult extends BackupCheck {
  file: string;
  bytes: number;
  ms: number;
}

export class BackupFailed extends Error {
  constructor(readonly file: string, readonly integrity: string) {
    super(`backup ${file} failed its integrity check: ${integrity}`);
  }
}

export async function backupDatabase(source: Database.Database, target: string): Promise<BackupResult> {
  const started = Date.now();
  const partial = `${target}.partial`;
  mkdirSync(dirname(target), { recursive: true });
  rmSync(partial, { force: true });
  try {
    await source.backup(partial);
    const check = checkBackup(partial);
    if (check.integrity !== 'ok') throw new BackupFailed(target, check.integrity);
    renameSync(partial, target);
    return { file: target, bytes: statSync(target).size, ms: Date.now() - started, ...check };
  } finally {
    rmSync(partial, { force: true });
  }
}

/** integrity_check and the row count of every table of a backup file (opened read-only). */
export function checkBackup(file: string): BackupCheck {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems = db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    const integrity = problems.map((p) => p.integrity_check).join('; ');
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all() as string[];
    const rows: Record<string, number> = {};
    for (const t of tables) rows[t] = db.prepare(`select count(*) from "${t.replaceAll('"', '""')}"`).pluck().get() as number;
    return { integrity, rows };
  } finally {
    db.close();
  }
}
