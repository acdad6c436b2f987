import type Database from 'better-sqlite3';

/**
 * drizzle's better-sqlite3 driver prepares every query afresh; on the call path (a dozen
 * small reads and writes per call) preparing was ~8% of the server's CPU. This keeps the
 * most recently used statements by their SQL text, so each is compiled once.
 * Bounded: queries whose text varies (IN lists, batched inserts) come and go.
 */
export function cacheStatements(sqlite: Database.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const cached = cache.get(source);
    // a statement still being iterated can not run again meanwhile: use a one-off
    if (cached?.busy) return prepare(source);
    if (cached) {
      // most recently used last, so the oldest is the first key
      cache.delete(source);
      cache.set(source, cached);
      // drizzle switches row-as-array mode on for its selects and never off: reset it
      if (cached.reader) cached.raw(false);
      return cached;
    }
    const stmt = prepare(source);
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(source, stmt);
    return stmt;
  }) as typeof sqlite.prepare;
}
