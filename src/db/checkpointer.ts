import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './index.js';

/**
 * WAL checkpoints on a thread of their own. SQLite's default runs a checkpoint inside
 * whichever commit pushes the WAL past 1,000 pages: that commit then copies the pages
 * into the database file and fsyncs both files on the server's one JavaScript thread.
 * At 50 calls a second that was a stall of 2 to 97 ms a few times a second (bench
 * call-path, commits timed). Here a worker with its own connection runs a PASSIVE
 * checkpoint every `everyMs`: PASSIVE never waits for, nor blocks, the writer; the
 * writer's own auto-checkpoint is off while the worker runs, and back on if it stops.
 */
export interface Checkpointer {
  /** the last checkpoint's WAL frames (in the log, copied): for /metrics */
  readonly last: { log: number; checkpointed: number; at: number } | null;
  stop(): Promise<void>;
}

/** What SQLite does on its own when no worker runs: a checkpoint in the commit past this many pages. */
export const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

// plain JavaScript, run as the worker's script: the same code from src/ (tsx) and dist/
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
let timer = null;
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log > 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    // SQLITE_BUSY from another checkpointer (a backup, a CLI) is a skipped turn, not an end
    if (err && err.code !== 'SQLITE_BUSY') parentPort.postMessage({ error: String(err.message || err) });
  }
  timer = setTimeout(tick, workerData.everyMs);
};
timer = setTimeout(tick, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  tick();
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/** `script`: the worker's code, for tests of a worker that fails. */
export function startCheckpointer(db: Db, opts: { everyMs: number; onProblem?: (message: string) => void; script?: string }): Checkpointer {
  const client = db.$client;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // no execArgv: the script is plain JavaScript, the worker needs no tsx loader
  const worker = new Worker(opts.script ?? WORKER, { eval: true, execArgv: [], workerData: { path: client.name, everyMs: opts.everyMs, driver } });
  client.pragma('wal_autocheckpoint = 0');
  const state: { last: Checkpointer['last']; stopping: boolean } = { last: null, stopping: false };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = (message: string) => {
    if (!client.open) return;
    client.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    opts.onProblem?.(message);
  };
  worker.on('message', (m: { log?: number; checkpointed?: number; error?: string }) => {
    if (m.error) return opts.onProblem?.(`WAL checkpoint failed: ${m.error}`);
    state.last = { log: m.log ?? 0, checkpointed: m.checkpointed ?? 0, at: Date.now() };
  });
  worker.on('error', (err) => fallBack(`WAL checkpoint worker failed: ${err.message}; the writer checkpoints again`));
  worker.on('exit', (code) => {
    if (!state.stopping) fallBack(`WAL checkpoint worker exited (${code}); the writer checkpoints again`);
  });
  // never keeps the process up; after the listeners, which would ref its port again
  worker.unref();
  return {
    get last() {
      return state.last;
    },
    async stop() {
      if (state.stopping) return exited;
      state.stopping = true;
      worker.postMessage('stop');
      // a worker stuck on the file (a dead disk) must not hold the shutdown
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
      if (client.open) client.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    },
  };
}
