import type Database from 'better-sqlite3';
import { getTableColumns, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import type { Db } from './index.js';

// drizzle builds a query's SQL again every time it runs one. On the call path (some 30
// small writes per call) that building was the server's largest JavaScript cost, larger
// than SQLite's work. The hot writes are built once, with placeholders, and then only run
// as prepared statements; these are the pieces for that. The SQL stays drizzle's, in the
// repository or service that owns the table.

const columnsOf = new WeakMap<Table, Record<string, Column>>();
function columns(table: Table): Record<string, Column> {
  let c = columnsOf.get(table);
  if (!c) columnsOf.set(table, (c = getTableColumns(table)));
  return c;
}

/** The fields of `values` that are columns of `table` and hold a value (drizzle leaves the others out too). */
export function columnsSet(table: Table, values: object): string[] {
  const cols = columns(table);
  return Object.keys(values).filter((k) => k in cols && (values as Record<string, unknown>)[k] !== undefined);
}

/**
 * Placeholders named after the fields, for set() and values(). Raw, not bound to the
 * column: the values are encoded by bind() (drizzle would encode a bound NULL as 'null'
 * in a JSON column, or 0 in a boolean one).
 */
export function placeholders(fields: readonly string[]): Record<string, SQL> {
  return Object.fromEntries(fields.map((f) => [f, sql`${sql.placeholder(f)}`]));
}

/**
 * The values of `fields` as SQLite takes them, each encoded by its column (JSON, booleans)
 * and NULL as NULL, exactly as drizzle's own queries bind them; `extra` (the WHERE's
 * placeholders) as they are.
 */
export function bind(table: Table, values: object, fields: readonly string[], extra?: Record<string, unknown>): Record<string, unknown> {
  const cols = columns(table);
  const out: Record<string, unknown> = { ...extra };
  for (const f of fields) {
    const v = (values as Record<string, unknown>)[f];
    out[f] = v === null || v === undefined ? null : cols[f].mapToDriverValue(v);
  }
  return out;
}

/**
 * One statement per set of columns (an update's changes vary by caller), built by `build`
 * the first time that set comes. Bounded, though the sets are as few as the code paths.
 */
export class ByColumns<Q> {
  private readonly built = new Map<string, Q>();

  constructor(
    private readonly build: (fields: readonly string[]) => Q,
    private readonly max = 100,
  ) {}

  for(fields: readonly string[]): Q {
    const key = fields.join();
    let q = this.built.get(key);
    if (q === undefined) {
      if (this.built.size >= this.max) this.built.delete(this.built.keys().next().value!);
      q = this.build(fields);
      this.built.set(key, q);
    }
    return q;
  }
}

const transactions = new WeakMap<Database.Database, (fn: () => unknown) => unknown>();

/**
 * `fn` in one transaction (a savepoint when one is open already): better-sqlite3's own,
 * without the objects drizzle builds for each transaction (a tenth of the call path's
 * database time). Throwing rolls it back, as with db.transaction().
 */
export function atomically<T>(db: Db, fn: () => T): T {
  const client = db.$client;
  let run = transactions.get(client);
  if (!run) transactions.set(client, (run = client.transaction((f: () => unknown) => f())));
  return run(fn) as T;
}

const plainTransactions = new WeakMap<Database.Database, { begin: Database.Statement; commit: Database.Statement }>();

/**
 * The writes of `fn` in one commit instead of one each. Each commit writes every page
 * it changed to the WAL again; a call step's writes (call row, seat, ticket and its
 * history) share pages. Unlike atomically() a throw keeps what was written before it,
 * as the statements on their own would: this only batches, it promises nothing.
 * `fn` must not wait on I/O (a promise it returns runs on outside the commit).
 */
export function oneCommit<T>(db: Db, fn: () => T): T {
  const client = db.$client;
  if (client.inTransaction) return fn();
  let tx = plainTransactions.get(client);
  if (!tx) plainTransactions.set(client, (tx = { begin: client.prepare('BEGIN'), commit: client.prepare('COMMIT') }));
  tx.begin.run();
  try {
    return fn();
  } finally {
    // an error SQLite could not undo by the statement alone already ended the transaction
    if (client.inTransaction) tx.commit.run();
  }
}
