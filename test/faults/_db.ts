// Shared by the fault drills: "did this request change the database?"
import { createHash } from 'node:crypto';
import type { Db } from '../../src/db/index.js';

/**
 * A fingerprint of the whole database: a hash of the schema and of every row of every
 * table (audit log, FTS shadow tables and sqlite_sequence included), so a 4xx that wrote
 * anything at all is caught. Recomputed only when SQLite's own counter of changed rows
 * on this connection (total_changes(), which the app shares) has moved: cheap per request.
 */
export function fingerprinter(db: Db): () => string {
  const sqlite = db.$client;
  const changes = sqlite.prepare('select total_changes()').pluck();
  let cached: { at: number; hash: string } | null = null;
  const full = () => {
    const h = createHash('sha256');
    const schema = sqlite.prepare('select type, name, sql from sqlite_master order by type, name').raw().all() as Array<[string, string, string]>;
    h.update(JSON.stringify(schema));
    for (const [type, name] of schema) {
      if (type !== 'table') continue;
      h.update(`|${name}|`);
      for (const row of sqlite.prepare(`select * from "${name.replaceAll('"', '""')}"`).raw().iterate()) {
        h.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
        h.update('\n');
      }
    }
    return h.digest('hex');
  };
  return () => {
    const at = changes.get() as number;
    if (cached?.at !== at) cached = { at, hash: full() };
    return cached.hash;
  };
}
