import type Database from 'better-sqlite3';
import { Column as DrizzleColumn, getTableColumns, is, isTable, Param, Placeholder, sql, type Column, type SQL, type Table } from 'drizzle-orm';
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
  const set: string[] = [];
  for (const k in values) if (k in cols && (values as Record<string, unknown>)[k] !== undefined) set.push(k);
  return set;
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
  // a tree by field name, not a joined key: the names are the code's own strings, whose
  // hashes V8 keeps, where a joined key is a new string to build and hash on every run
  private root = new FieldNode<Q>();
  private count = 0;

  constructor(
    private readonly build: (fields: readonly string[]) => Q,
    private readonly max = 100,
  ) {}

  for(fields: readonly string[]): Q {
    let node = this.root;
    for (const f of fields) {
      let next = node.next.get(f);
      if (!next) node.next.set(f, (next = new FieldNode()));
      node = next;
    }
    if (node.q === undefined) {
      if (this.count >= this.max) {
        // more sets than the code paths make: start again rather than grow
        this.root = new FieldNode();
        this.count = 0;
        return this.for(fields);
      }
      node.q = this.build(fields);
      this.count++;
    }
    return node.q;
  }
}

class FieldNode<Q> {
  readonly next = new Map<string, FieldNode<Q>>();
  q: Q | undefined = undefined;
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
  // per parameter: the placeholder's name (null: a value drizzle bound), how it is encoded
  // (`nullable`: NULL stays NULL, as placeholders() wants), or the bound value
  const params = built.params.map((p) => {
    if (is(p, Placeholder)) {
      const col = encoders?.[p.name];
      if (!col) return { name: p.name, encoder: null, nullable: false, value: undefined };
      return { name: p.name, encoder: identity(col, 'mapToDriverValue') ? null : col, nullable: true, value: undefined };
    }
    if (is(p, Param) && is(p.value, Placeholder)) return { name: p.value.name, encoder: p.encoder, nullable: false, value: undefined };
    return { name: null, encoder: null, nullable: false, value: p };
  });
  const bound = (v: Record<string, unknown> = {}): unknown[] => {
    const out = new Array<unknown>(params.length);
    for (let i = 0; i < params.length; i++) {
      const { name, encoder, nullable, value } = params[i];
      if (name === null) {
        out[i] = value;
        continue;
      }
      if (!(name in v)) throw new Error(`No value for placeholder "${name}" was provided`);
      const x = v[name];
      out[i] = encoder === null ? (nullable && x === undefined ? null : x) : nullable && (x === null || x === undefined) ? null : encoder.mapToDriverValue(x);
    }
    return out;
  };
  // better-sqlite3 binds an array's items as the anonymous parameters
  const run = (v?: Record<string, unknown>) => stmt.run(bound(v));
  if (!opts.row) {
    const unmapped = (): never => {
      throw new Error('statement(): rows need opts.row');
    };
    return { run, get: unmapped, all: unmapped };
  }
  const shape = isTable(opts.row) ? columns(opts.row) : opts.row;
  const keys = Object.keys(shape);
  const decoders = Object.values(shape).map((c) => (identity(c, 'mapFromDriverValue') ? null : c));
  // the row's columns are the ones SQLite returns, in this order, or the mapping is wrong
  const returned = stmt.columns().map((c) => c.name);
  const expected = Object.values(shape).map((c) => c.name);
  if (returned.join() !== expected.join()) throw new Error(`statement(): the query returns ${returned.join()}, not ${expected.join()}`);
  // the row as one object literal, written out for this shape once (as fast-json-stringify
  // writes Fastify's serializers): a loop setting keys one by one was the larger part of
  // the mapping's time. The keys are the schema's own field names, quoted by JSON.
  const literal = keys.map((k, i) => `${JSON.stringify(k)}: r[${i}] === null ? null : ${decoders[i] ? `d[${i}].mapFromDriverValue(r[${i}])` : `r[${i}]`}`);
  const mapRow = new Function('r', 'd', `return { ${literal.join(', ')} };`) as (r: unknown[], d: Array<Column | null>) => Row;
  const mapped = (r: unknown[]): Row => mapRow(r, decoders);
  return {
    run,
    // rows as arrays each time: the statement cache (statement-cache.ts) shares the
    // statement with whoever prepares the same SQL, and switches that mode off for them
    get(v) {
      const r = stmt.raw(true).get(bound(v)) as unknown[] | undefined;
      return r === undefined ? undefined : mapped(r);
    },
    all: (v) => (stmt.raw(true).all(bound(v)) as unknown[][]).map(mapped),
  };
}

/** a column that passes values through unchanged (plain text and integers): no call needed */
function identity(col: Column, way: 'mapToDriverValue' | 'mapFromDriverValue'): boolean {
  return col[way] === DrizzleColumn.prototype[way];
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
