import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/index.js';
import { SQLITE_AUTOCHECKPOINT_PAGES, startCheckpointer } from '../../src/db/checkpointer.js';
import { makeApp } from '../helpers/app.js';

// The WAL is copied into the database by a worker, never inside a commit of the server's
// own thread; when the worker is gone the writer checkpoints again, as SQLite does alone.

const fresh = (t: Test) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-ckpt-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'hotline.db');
};
const until = async (what: string, fn: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const autocheckpoint = (db: ReturnType<typeof openDatabase>) => db.$client.pragma('wal_autocheckpoint', { simple: true });
const writeRows = (db: ReturnType<typeof openDatabase>, n: number) => {
  db.$client.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.$client.prepare('INSERT INTO filler (body) VALUES (?)');
  // one commit per row, as the call path commits: 4 KiB rows, a page or more each
  for (let i = 0; i < n; i++) insert.run('x'.repeat(4000));
};

t.test('the worker copies the WAL into the database; the writer never does', async (t) => {
  const path = fresh(t);
  const db = openDatabase(path);
  const cp = startCheckpointer(db, { everyMs: 20 });
  t.equal(autocheckpoint(db), 0, "the writer's own checkpoint is off");
  // past SQLite's 1,000 pages: on its own the writer would have checkpointed in a commit
  writeRows(db, SQLITE_AUTOCHECKPOINT_PAGES + 200);
  await until('a checkpoint of those pages', () => (cp.last?.checkpointed ?? 0) > SQLITE_AUTOCHECKPOINT_PAGES);
  t.equal(cp.last!.checkpointed, cp.last!.log, 'every frame in the WAL was copied');
  // a fully copied WAL starts over at its beginning with the next write: it does not grow
  const walBytes = statSync(`${path}-wal`).size;
  writeRows(db, 100);
  t.equal(statSync(`${path}-wal`).size, walBytes, 'the next writes reuse the WAL from its start');
  await cp.stop();
  t.equal(autocheckpoint(db), SQLITE_AUTOCHECKPOINT_PAGES, 'stopped: the writer checkpoints again');
  db.$client.close();
});

t.test('a worker that dies hands checkpoints back to the writer and says so', async (t) => {
  const path = fresh(t);
  const db = openDatabase(path);
  const problems: string[] = [];
  // a worker whose thread ends without being asked, as a crash in it would
  const cp = startCheckpointer(db, { everyMs: 1000, onProblem: (m) => problems.push(m), script: 'process.exit(3)' });
  await until('the writer has its checkpoint back', () => autocheckpoint(db) === SQLITE_AUTOCHECKPOINT_PAGES);
  t.match(problems.join('\n'), /exited \(3\)/);
  writeRows(db, 10);
  await cp.stop();
  db.$client.close();
});

t.test('an app on a file checkpoints off its thread; DB_CHECKPOINT_MS=0 leaves it to SQLite', async (t) => {
  const on = await makeApp({ config: { dbCheckpointMs: 50 } });
  t.teardown(() => on.close());
  t.equal(autocheckpoint(on.app.services.db), 0);
  t.ok(on.app.services.walCheckpoints, 'the checkpointer runs');
  const metrics = await on.app.inject({ method: 'GET', url: '/metrics' });
  t.match(metrics.body, /^hotline_db_wal_frames\{[^}]*\} \d+$/m, 'its WAL size is in /metrics');

  const off = await makeApp({ config: { dbCheckpointMs: 0 } });
  t.teardown(() => off.close());
  t.equal(autocheckpoint(off.app.services.db), SQLITE_AUTOCHECKPOINT_PAGES);
  t.equal(off.app.services.walCheckpoints, null);
});
