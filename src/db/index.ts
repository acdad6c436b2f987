import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheStatements } from './statement-cache.js';
import * as tables from './tables.js';

export type Db = BetterSQLite3Database<typeof tables> & { $client: Database.Database };

// src/db and dist/db are both two levels below the package root
const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Opens (creating if needed) the hotline database and brings its schema up to date. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL: readers never block the writer; NORMAL is durable across process crashes
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // a statement's undo journal (an FTS update, a trigger) stays in memory: by default it
  // spills to a temporary file past 64 KiB, an open, write and unlink within a commit
  sqlite.pragma('temp_store = MEMORY');
  cacheStatements(sqlite);
  const db = drizzle(sqlite, { schema: tables }) as Db;
  migrate(db, { migrationsFolder });
  return db;
}

export { tables };
