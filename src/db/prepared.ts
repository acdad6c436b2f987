import type Database from 'better-sqlite3';
import { getTableColumns, is, isTable, Param, Placeholder, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import type { Db } from './index.js';

// drizzle builds a query's SQL again every time it runs one. On the call path (some 30
// small writes per call) that building was the server's largest JavaScript cost, larger
// than SQLite's work. The hot statements are built once, with placeholders, and then only
// run as prepared statements; these are the pieces for that. The SQL stays drizzle's, in
// the repository or service that owns the table. Even a drizzle prepared query still
// sorts its placeholders (is() up each class chain) and maps each row through a generic
// reduce on every run: statement() below runs drizzle's SQL on better-sqlite3 itself, with
// the binding and the row mapping worked out once.

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
 * column: statement()'s `encode` encodes the values (drizzle would encode a bound NULL
 * as 'null' in a JSON column, or 0 in a boolean one).
 */
export function placeholders(fields: readonly string[]): Record<string, SQL> {
  return Object.fromEntries(fields.map((f) => [f, sql`${sql.placeholder(f)}`]));
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

/** A statement built by drizzle: its SQL and parameters (Placeholders, or values it bound). */
interface Built {
  toSQL(): { sql: string; params: unknown[] };
}

export interface Statement<Row> {
  run(values?: Record<string, unknown>): Database.RunResult;
  get(values?: Record<string, unknown>): Row | undefined;
  all(values?: Record<string, unknown>): Row[];
}

/**
 * `query` (built by drizzle with sql.placeholder()s) prepared once and run by
 * better-sqlite3 with the values of the placeholders, as drizzle's own prepared query
 * runs it: a placeholder's value goes as it is (or through the column's encoder when
 * drizzle wrapped it in one, as values() does), and a row comes back as drizzle maps it,
 * each non-NULL value through its column's decoder. `row` names the columns of a row in
 * the order the query selects them: the table for select() or returning(), or the record
 * given to select({...}). `encode`: placeholders named after its columns take their
 * values through the column's encoder and NULL as NULL, exactly as drizzle's own queries
 * bind them (for placeholders()); other placeholders (a WHERE's) go as they are.
 */
export function statement<Row = never>(db: Db, query: Built, opts: { row?: Table | Record<string, Column>; encode?: Table } = {}): Statement<Row> {
  const built = query.toSQL();
  const stmt = db.$client.prepare(built.sql);
  const encoders = opts.encode ? columns(opts.encode) : undefined;
  const params = built.params.map((p): ((v: Record<string, unknown>) => unknown) => {
    const named = (name: string) => (v: Record<string, unknown>) => {
      if (!(name in v)) throw new Error(`No value for placeholder "${name}" was provided`);
      return v[name];
    };
    if (is(p, Placeholder)) {
      const value = named(p.name);
      const col = encoders?.[p.name];
      if (!col) return value;
      return (v) => {
        const x = value(v);
        return x === null || x === undefined ? null : col.mapToDriverValue(x);
      };
    }
    if (is(p, Param) && is(p.value, Placeholder)) {
      const value = named(p.value.name);
      const encoder = p.encoder;
      return (v) => encoder.mapToDriverValue(value(v));
    }
    return () => p;
  });
  const bound = (v: Record<string, unknown> = {}) => params.map((f) => f(v));
  if (!opts.row) {
    const unmapped = (): never => {
      throw new Error('statement(): rows need opts.row');
    };
    return { run: (v) => stmt.run(...bound(v)), get: unmapped, all: unmapped };
  }
  const shape = isTable(opts.row) ? columns(opts.row) : opts.row;
  const keys = Object.keys(shape);
  const decoders = Object.values(shape);
  // the row's columns are the ones SQLite returns, in this order, or the mapping is wrong
  const returned = stmt.columns().map((c) => c.name);
  if (returned.join() !== decoders.map((c) => c.name).join()) throw new Error(`statement(): the query returns ${returned.join()}, not ${decoders.map((c) => c.name).join()}`);
  const mapped = (r: unknown[]): Row => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]] = r[i] === null ? null : decoders[i].mapFromDriverValue(r[i]);
    return out as Row;
  };
  return {
    run: (v) => stmt.run(...bound(v)),
    // rows as arrays each time: the statement cache (statement-cache.ts) shares the
    // statement with whoever prepares the same SQL, and switches that mode off for them
    get(v) {
      const r = stmt.raw(true).get(...bound(v)) as unknown[] | undefined;
      return r === undefined ? undefined : mapped(r);
    },
    all: (v) => (stmt.raw(true).all(...bound(v)) as unknown[][]).map(mapped),
  };
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
